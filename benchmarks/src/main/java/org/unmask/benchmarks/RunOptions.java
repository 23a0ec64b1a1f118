package org.unmask.benchmarks;

import java.util.Optional;

/**
 * How to run a benchmark.
 *
 * @param limit score at most this many items (0 = all), taken in file order; a partial run is marked as such
 * @param biasType only this bias type / domain (null = all)
 * @param seed seed for bootstraps and permutation tests
 * @param bootstrapResamples resamples per bootstrap interval
 * @param permutationSamples Monte Carlo permutations for WEAT when exact enumeration is too large
 * @param variant a benchmark-specific sub-selection (CrowS variant, SEAT test list), null = default
 */
public record RunOptions(
        int limit, String biasType, long seed, int bootstrapResamples, int permutationSamples, String variant) {
    public RunOptions {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
    }

    public static RunOptions defaults() {
        return new RunOptions(0, null, 0L, 2000, 100_000, null);
    }

    public RunOptions withLimit(int n) {
        return new RunOptions(n, biasType, seed, bootstrapResamples, permutationSamples, variant);
    }

    public RunOptions withBiasType(String t) {
        return new RunOptions(limit, t, seed, bootstrapResamples, permutationSamples, variant);
    }

    public RunOptions withVariant(String v) {
        return new RunOptions(limit, biasType, seed, bootstrapResamples, permutationSamples, v);
    }

    public RunOptions withSeed(long s) {
        return new RunOptions(limit, biasType, s, bootstrapResamples, permutationSamples, variant);
    }

    public RunOptions withPermutationSamples(int n) {
        return new RunOptions(limit, biasType, seed, bootstrapResamples, n, variant);
    }

    public Optional<String> biasTypeFilter() {
        return Optional.ofNullable(biasType);
    }

    public Optional<String> variantChoice() {
        return Optional.ofNullable(variant);
    }

    /** True when {@code count} items already taken reach the limit. */
    public boolean reached(int count) {
        return limit > 0 && count >= limit;
    }
}
