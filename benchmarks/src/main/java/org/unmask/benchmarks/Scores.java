package org.unmask.benchmarks;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.Estimate;

/** Small numeric conventions shared by the benchmark scorers (rounding as Python does, percentage metrics). */
public final class Scores {
    private Scores() {}

    /**
     * Python's {@code round(x, digits)}: rounds the exact binary value of {@code x} half-to-even, which is what
     * CrowS-Pairs' and bias-bench's tie rule ({@code round(score, 3)}) depends on.
     */
    public static double pythonRound(double x, int digits) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
    }

    /**
     * A percentage of items meeting a condition, with a seeded i.i.d. BCa bootstrap 95 % interval over
     * items ({@code values} are 0 or 100 per item).
     */
    public static MetricValue percentage(
            String metric,
            String group,
            double[] values,
            RunOptions options,
            double ideal,
            Map<String, Object> details) {
        return mean(metric, group, values, options, ideal, details);
    }

    /**
     * The mean of per-item values with a seeded i.i.d. BCa bootstrap 95 % interval over items (core
     * {@code CrossedBootstrap}); none for fewer than {@value org.unmask.core.stats.CrossedDesign#MIN_RESAMPLED_LEVELS}
     * items, too few to resample.
     */
    public static MetricValue mean(
            String metric,
            String group,
            double[] values,
            RunOptions options,
            double ideal,
            Map<String, Object> details) {
        if (values.length == 0) {
            return new MetricValue(metric, group, Double.NaN, 0, Double.NaN, Double.NaN, ideal, details);
        }
        if (values.length == 1) {
            return new MetricValue(metric, group, values[0], 1, Double.NaN, Double.NaN, ideal, details);
        }
        Estimate e = new CrossedBootstrap(options.seed(), options.bootstrapResamples()).mean("items", values);
        return new MetricValue(
                metric, group, e.value(), e.n(), e.ci95().lower(), e.ci95().upper(), ideal, details);
    }
}
