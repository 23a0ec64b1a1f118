package org.unmask.benchmarks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.ResultCodec;

/**
 * The outcome of one benchmark run: its metrics with n and 95 % intervals, what was skipped, per-item traces
 * and full provenance. Written by {@link ResultWriter} and read back by {@link #read}, both through the result
 * codec ({@link ResultCodec}).
 *
 * <p>Schema history: version 1 (files without {@code schemaVersion}) had the same fields, but wrote {@code timing},
 * {@code skipped.byReason} and {@code provenance.dataSha256} in an order that changed from run to run and had no
 * final newline; version 2 adds {@code schemaVersion} and writes every map in a fixed order (timing in record
 * order, skip reasons as first met, data files sorted). Version-1 files read unchanged.
 *
 * <p>{@code items} and {@code metrics[].details} stay open JSON objects: their fields are specific to each
 * benchmark (and mostly named as in the benchmark's reference code, e.g. CrowS-Pairs' {@code sent_more_score}); the
 * benchmark's README defines them.
 *
 * @param schemaVersion version of this structure ({@link #SCHEMA_VERSION} when written by this build)
 * @param benchmark benchmark id
 * @param name benchmark name
 * @param options the options it ran with
 * @param metrics every reported number
 * @param skipped items not scored, by reason
 * @param notes caveats a reader must know (variant, split, non-commercial data)
 * @param provenance model and data identity
 * @param timing wall time, forward passes and throughput
 * @param items per-item traces (may be empty)
 */
public record BenchmarkResult(
        int schemaVersion,
        String benchmark,
        String name,
        RunOptions options,
        List<MetricValue> metrics,
        Skipped.Report skipped,
        List<String> notes,
        Provenance provenance,
        Timing timing,
        List<Map<String, Object>> items) {
    /** The version of the benchmark result shape this build writes; bump it when the shape changes. */
    public static final int SCHEMA_VERSION = 2;

    public BenchmarkResult {
        metrics = List.copyOf(metrics);
        notes = List.copyOf(notes);
        items = items.stream().map(OpenFields::ordered).toList();
    }

    /** A result of the current schema. */
    public BenchmarkResult(
            String benchmark,
            String name,
            RunOptions options,
            List<MetricValue> metrics,
            Skipped.Report skipped,
            List<String> notes,
            Provenance provenance,
            Timing timing,
            List<Map<String, Object>> items) {
        this(SCHEMA_VERSION, benchmark, name, options, metrics, skipped, notes, provenance, timing, items);
    }

    /** The value of {@code metric} on {@code group}. */
    public Optional<MetricValue> metric(String metric, String group) {
        return metrics.stream()
                .filter(m -> m.metric().equals(metric) && m.group().equals(group))
                .findFirst();
    }

    /**
     * Reads a benchmark result file (any schema from 1 to {@link #SCHEMA_VERSION}).
     *
     * @throws InvalidInputException naming the file and the field when it is missing, not JSON or malformed
     */
    public static BenchmarkResult read(Path file) throws InvalidInputException {
        return ResultCodec.readVersioned(
                file,
                BenchmarkResult.class,
                SCHEMA_VERSION,
                "give a result file written by `unmask benchmark --out <dir>`");
    }

    /**
     * Where the time of a run went.
     *
     * @param wallSeconds wall time of the run
     * @param modelSeconds time spent in the model's forward passes
     * @param forwardPasses model inputs run (including id-level scoring outside the executor)
     * @param batches executor batches
     * @param requests executor requests
     * @param cacheHits requests answered from the executor's cache
     * @param sentences sentence-level requests scored
     * @param sentencesPerSecond sentences / wall second, NaN when no time passed
     * @param forwardPassesPerSecond forward passes / wall second, NaN when no time passed
     * @param availableProcessors CPUs the JVM saw
     */
    public record Timing(
            double wallSeconds,
            double modelSeconds,
            long forwardPasses,
            long batches,
            long requests,
            long cacheHits,
            long sentences,
            double sentencesPerSecond,
            double forwardPassesPerSecond,
            int availableProcessors) {
        /** The fields by name, in record order (for tables). */
        public Map<String, Object> entries() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wallSeconds", wallSeconds);
            m.put("modelSeconds", modelSeconds);
            m.put("forwardPasses", forwardPasses);
            m.put("batches", batches);
            m.put("requests", requests);
            m.put("cacheHits", cacheHits);
            m.put("sentences", sentences);
            m.put("sentencesPerSecond", sentencesPerSecond);
            m.put("forwardPassesPerSecond", forwardPassesPerSecond);
            m.put("availableProcessors", availableProcessors);
            return m;
        }

        /** {@code {wallSeconds=…, modelSeconds=…, …}}, as the terminal table prints it. */
        @Override
        public String toString() {
            return entries().toString();
        }
    }
}
