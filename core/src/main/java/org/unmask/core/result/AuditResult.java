package org.unmask.core.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Everything an audit found, with the provenance that makes it reproducible; written as {@code result.json} and
 * read back by {@link ResultCodec}.
 *
 * @param schemaVersion version of this structure ({@link #SCHEMA_VERSION} when written by this build)
 * @param provenance model, suite, seed, versions, time
 * @param timings where the wall time went
 * @param executor request executor counters for this audit
 * @param measures one result per suite measure, in suite order
 * @param assertions the suite's assertions and whether they held
 */
public record AuditResult(
        int schemaVersion,
        Provenance provenance,
        Timings timings,
        ExecutorSummary executor,
        List<MeasureResult> measures,
        List<AssertionOutcome> assertions) {
    /**
     * The version of the {@code result.json} shape this build writes; bump it when the shape changes. 2 added each
     * interval's {@code method}, {@code resamples} and {@code note}, aggregates' {@code noiseFloor} and
     * {@code noiseFloorP}, targets' {@code p} and {@code q} and lean measures' {@code warnings} (issue 13);
     * {@link ResultCodec} still reads schema 1, giving those fields their empty values.
     */
    public static final int SCHEMA_VERSION = 2;

    public AuditResult {
        measures = List.copyOf(measures);
        assertions = List.copyOf(assertions);
    }

    /** Whether every assertion held (also written to result.json, for CI scripts). */
    @JsonProperty("passed")
    public boolean passed() {
        return assertions.stream().allMatch(AssertionOutcome::passed);
    }

    /**
     * @param tool {@code unmask}
     * @param toolVersion its version
     * @param java Java runtime version and vendor
     * @param os operating system and architecture
     * @param model the model's identity and hashes
     * @param suite the suite's identity and hashes
     * @param seed the seed
     * @param bootstrapResamples resamples per CI
     * @param permutationSamples Monte Carlo permutations (also the exact-enumeration bound)
     * @param started ISO-8601 start time
     * @param finished ISO-8601 end time
     */
    public record Provenance(
            String tool,
            String toolVersion,
            String java,
            String os,
            ModelProvenance model,
            SuiteProvenance suite,
            long seed,
            int bootstrapResamples,
            int permutationSamples,
            String started,
            String finished) {}

    /** The model as {@code ModelInfo} describes it. */
    public record ModelProvenance(
            String id,
            String architecture,
            String kind,
            String location,
            String weightsSha256,
            String tokenizerSha256,
            String backend,
            int maxLength,
            Map<String, String> lineage) {}

    /** The suite file and every file it read, with SHA-256s. */
    public record SuiteProvenance(
            String id,
            int version,
            String title,
            String description,
            String source,
            String sha256,
            Map<String, String> files,
            List<String> contexts) {}

    /**
     * Seconds spent per phase.
     *
     * @param plan building requests
     * @param execute the executor call (model + lowering + assembling)
     * @param model inside the model's forward passes
     * @param score scoring and statistics (bootstrap, permutation tests)
     * @param total the whole audit
     */
    public record Timings(double plan, double execute, double model, double score, double total) {
        /** The share of the wall time spent inside the model. */
        @JsonProperty("modelShare")
        public double modelShare() {
            return total > 0 ? model / total : Double.NaN;
        }
    }

    /**
     * Executor counters for this audit (differences, so a shared executor reports only this audit's work);
     * {@code sampled} counts continuations the model generated (not taken from a cache or a resume journal).
     */
    public record ExecutorSummary(
            long requests,
            long uniqueRequests,
            long cacheHits,
            long forwardInputs,
            long batches,
            double modelSeconds,
            long sampled) {}

    /**
     * @param expression the assertion as written
     * @param measure the measure it bounds
     * @param value the value it was checked against
     * @param passed whether it held
     * @param line its line in the suite file
     */
    public record AssertionOutcome(String expression, String measure, double value, boolean passed, int line) {}
}
