package org.unmask.core.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Benjamini–Hochberg (1995) false-discovery-rate control for per-target tables: with many targets, some p-values
 * fall below 0.05 by chance; marking those with {@code q ≤ 0.05} keeps the expected share of false marks at 5 %.
 */
public final class Fdr {
    /** The FDR level per-target tables mark at. */
    public static final double LEVEL = 0.05;

    private Fdr() {}

    /**
     * BH adjusted p-values (q-values): {@code q_(i) = min_{j ≥ i} min(1, m p_(j) / j)} over the m defined p-values
     * sorted ascending; NaN stays NaN and does not count in m.
     */
    public static double[] benjaminiHochberg(double[] p) {
        Integer[] order = java.util.stream.IntStream.range(0, p.length)
                .filter(i -> !Double.isNaN(p[i]))
                .boxed()
                .toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] q = new double[p.length];
        Arrays.fill(q, Double.NaN);
        int m = order.length;
        double running = 1;
        for (int r = m - 1; r >= 0; r--) {
            double v = p[order[r]];
            if (v < 0 || v > 1) {
                throw new IllegalArgumentException("p-value outside [0, 1]: " + v);
            }
            running = Math.min(running, v * m / (r + 1));
            q[order[r]] = running;
        }
        return q;
    }
}
