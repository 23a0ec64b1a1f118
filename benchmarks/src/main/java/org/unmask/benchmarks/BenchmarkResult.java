package org.unmask.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one benchmark run: its metrics with n and 95 % intervals, what was skipped, per-item traces
 * and full provenance. Serialised as-is to JSON.
 *
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
        String benchmark,
        String name,
        RunOptions options,
        List<MetricValue> metrics,
        Skipped.Report skipped,
        List<String> notes,
        Provenance provenance,
        Map<String, Object> timing,
        List<Map<String, Object>> items) {
    public BenchmarkResult {
        metrics = List.copyOf(metrics);
        notes = List.copyOf(notes);
        timing = Map.copyOf(timing);
        items = List.copyOf(items);
    }

    /** The value of {@code metric} on {@code group}. */
    public java.util.Optional<MetricValue> metric(String metric, String group) {
        return metrics.stream().filter(m -> m.metric().equals(metric) && m.group().equals(group)).findFirst();
    }
}
