package org.unmask.benchmarks;

import java.util.Map;
import java.util.Objects;

/**
 * One reported number of a benchmark.
 *
 * @param metric the metric id (e.g. {@code crows-pairs/pll-unmodified}); its definition is in the benchmark README
 * @param group the subset it covers ({@code overall}, a bias type, a domain, a test name)
 * @param value the value (NaN when undefined on this subset)
 * @param n how many items it rests on
 * @param ciLow lower end of the 95 % interval (NaN when none)
 * @param ciHigh upper end of the 95 % interval (NaN when none)
 * @param ideal the value an unbiased model would get (NaN when there is no single ideal)
 * @param details further counts and values (e.g. ties, stereo / anti-stereo sub-scores); keys in the order given,
 *     sorted when given an unordered map
 */
public record MetricValue(
        String metric,
        String group,
        double value,
        long n,
        double ciLow,
        double ciHigh,
        double ideal,
        Map<String, Object> details) {
    public MetricValue {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(group, "group");
        details = OpenFields.ordered(details);
    }
}
