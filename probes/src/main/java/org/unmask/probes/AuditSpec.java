package org.unmask.probes;

import java.util.Objects;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.PermutationTest;
import org.unmask.probes.suite.Suite;

/**
 * What to audit and how.
 *
 * @param suite the bias test to run
 * @param seed seed of every random choice (bootstrap, Monte Carlo permutations)
 * @param resamples bootstrap resamples per confidence interval
 * @param permutations Monte Carlo permutations when a test cannot be enumerated exactly (and the exact bound)
 * @param progress where progress goes
 */
public record AuditSpec(Suite suite, long seed, int resamples, int permutations, ProgressListener progress) {
    public static final long DEFAULT_SEED = 20241129L;

    public AuditSpec {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(progress, "progress");
        if (resamples < 2 || permutations < 1) {
            throw new IllegalArgumentException("need resamples >= 2 and permutations >= 1");
        }
    }

    /** Defaults: seed {@value #DEFAULT_SEED}, 2,000 bootstrap resamples, 100,000 permutations, no progress. */
    public static AuditSpec of(Suite suite) {
        return new AuditSpec(
                suite,
                DEFAULT_SEED,
                CrossedBootstrap.DEFAULT_RESAMPLES,
                PermutationTest.DEFAULT_LIMIT,
                ProgressListener.NONE);
    }

    public AuditSpec withSeed(long s) {
        return new AuditSpec(suite, s, resamples, permutations, progress);
    }

    public AuditSpec withProgress(ProgressListener p) {
        return new AuditSpec(suite, seed, resamples, permutations, p);
    }

    public AuditSpec withResamples(int r) {
        return new AuditSpec(suite, seed, r, permutations, progress);
    }
}
