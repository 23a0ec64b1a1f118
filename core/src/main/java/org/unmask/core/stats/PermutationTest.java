package org.unmask.core.stats;

import java.util.SplittableRandom;

/**
 * Permutation tests of "no difference", exact when the number of rearrangements is small and seeded Monte Carlo
 * otherwise.
 *
 * <ul>
 *   <li>{@link #twoSample}: relabels the pooled values into groups of the original sizes (all
 *       {@code C(n_x + n_y, n_x)} partitions, or {@code samples} random ones) and recomputes the statistic, by
 *       default {@code x̄ − ȳ}. This is WEAT's test (Caliskan et al. 2017) when x, y are the targets' association
 *       scores.
 *   <li>{@link #signFlip}: paired differences {@code d_i} under H0 are symmetric around 0; flips the signs (all
 *       {@code 2^n} patterns, or {@code samples} random ones) and recomputes {@code mean(d)}.
 * </ul>
 *
 * <p>p-values: GREATER {@code = P(T ≥ t)}, LESS {@code = P(T ≤ t)}, TWO_SIDED {@code = P(|T| ≥ |t|)}, where
 * {@code t} is the observed statistic. Exact tests count over all rearrangements (the observed one included).
 * Monte Carlo tests use {@code p = (1 + #{T_b as or more extreme}) / (1 + B)} (Phipson &amp; Smyth 2010), which
 * counts the observed arrangement once and is never 0. Ties count as "as extreme", within a relative tolerance
 * of 1e-9 so that floating-point summation order cannot break them.
 */
public final class PermutationTest {
    /** Default bound on enumerated rearrangements, and the default Monte Carlo sample size (as sent-bias). */
    public static final int DEFAULT_LIMIT = 100_000;

    private static final double TIE_TOLERANCE = 1e-9;

    /** Which deviation from H0 the test looks for. */
    public enum Alternative {
        /** The statistic is larger than under H0 (one-sided). */
        GREATER,
        /** The statistic is smaller than under H0 (one-sided). */
        LESS,
        /** Either direction: compares absolute values. */
        TWO_SIDED
    }

    /** A statistic of two groups. */
    @FunctionalInterface
    public interface TwoSampleStatistic {
        double of(double[] x, double[] y);
    }

    /** {@code mean(x) − mean(y)}. */
    public static final TwoSampleStatistic MEAN_DIFFERENCE = (x, y) -> Moments.mean(x) - Moments.mean(y);

    /**
     * The outcome of a test.
     *
     * @param observed the statistic on the data as given
     * @param p the p-value
     * @param permutations how many rearrangements the p-value counts over (all of them when exact; the random
     *     ones, excluding the observed, when Monte Carlo)
     * @param exact whether every rearrangement was enumerated
     * @param alternative the alternative tested
     */
    public record Result(double observed, double p, long permutations, boolean exact, Alternative alternative) {}

    private final long seed;
    private final long exactLimit;
    private final int samples;

    /**
     * @param seed seed of the Monte Carlo sampler
     * @param exactLimit enumerate exactly when there are at most this many rearrangements
     * @param samples how many random rearrangements otherwise
     */
    public PermutationTest(long seed, long exactLimit, int samples) {
        if (samples < 1 || exactLimit < 1) {
            throw new IllegalArgumentException("need samples >= 1 and exactLimit >= 1");
        }
        this.seed = seed;
        this.exactLimit = exactLimit;
        this.samples = samples;
    }

    public PermutationTest(long seed) {
        this(seed, DEFAULT_LIMIT, DEFAULT_LIMIT);
    }

    /** Two-sample test of the difference in means. */
    public Result twoSample(double[] x, double[] y, Alternative alternative) {
        return twoSample(x, y, MEAN_DIFFERENCE, alternative);
    }

    /** Two-sample permutation test of any statistic. */
    public Result twoSample(double[] x, double[] y, TwoSampleStatistic statistic, Alternative alternative) {
        if (x.length == 0 || y.length == 0) {
            throw new IllegalArgumentException("a two-sample permutation test needs two non-empty groups");
        }
        double[] pooled = new double[x.length + y.length];
        System.arraycopy(x, 0, pooled, 0, x.length);
        System.arraycopy(y, 0, pooled, x.length, y.length);
        double observed = statistic.of(x, y);
        Counter counter = new Counter(observed, alternative);
        double partitions = binomial(pooled.length, x.length);
        if (partitions <= exactLimit) {
            int[] pick = new int[x.length];
            for (int i = 0; i < pick.length; i++) {
                pick[i] = i;
            }
            do {
                counter.add(splitAndApply(pooled, pick, statistic));
            } while (nextCombination(pick, pooled.length));
            return counter.exact();
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] shuffled = pooled.clone();
        double[] a = new double[x.length];
        double[] b = new double[y.length];
        for (int s = 0; s < samples; s++) {
            // partial Fisher-Yates: the first |x| positions become a uniform random subset
            for (int i = 0; i < a.length; i++) {
                int j = i + rnd.nextInt(shuffled.length - i);
                double t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            System.arraycopy(shuffled, 0, a, 0, a.length);
            System.arraycopy(shuffled, a.length, b, 0, b.length);
            counter.add(statistic.of(a, b));
        }
        return counter.monteCarlo();
    }

    /** Paired sign-flip test of {@code mean(d) = 0}. */
    public Result signFlip(double[] d, Alternative alternative) {
        if (d.length == 0) {
            throw new IllegalArgumentException("a sign-flip test needs at least one difference");
        }
        double observed = Moments.mean(d);
        Counter counter = new Counter(observed, alternative);
        if (d.length < 62 && (1L << d.length) <= exactLimit) {
            for (long mask = 0; mask < (1L << d.length); mask++) {
                double s = 0;
                for (int i = 0; i < d.length; i++) {
                    s += ((mask >>> i) & 1) == 1 ? -d[i] : d[i];
                }
                counter.add(s / d.length);
            }
            return counter.exact();
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = 0; k < samples; k++) {
            double s = 0;
            for (double v : d) {
                s += rnd.nextBoolean() ? -v : v;
            }
            counter.add(s / d.length);
        }
        return counter.monteCarlo();
    }

    private static double splitAndApply(double[] pooled, int[] pick, TwoSampleStatistic statistic) {
        double[] a = new double[pick.length];
        double[] b = new double[pooled.length - pick.length];
        int ai = 0;
        int bi = 0;
        int next = 0;
        for (int i = 0; i < pooled.length; i++) {
            if (next < pick.length && pick[next] == i) {
                a[ai++] = pooled[i];
                next++;
            } else {
                b[bi++] = pooled[i];
            }
        }
        return statistic.of(a, b);
    }

    /** Advances {@code c} (sorted indices into 0..n-1) to the next combination in lexicographic order. */
    static boolean nextCombination(int[] c, int n) {
        int k = c.length;
        int i = k - 1;
        while (i >= 0 && c[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        c[i]++;
        for (int j = i + 1; j < k; j++) {
            c[j] = c[j - 1] + 1;
        }
        return true;
    }

    /** {@code C(n, k)} as a double (exact up to 2^53, then an over-estimate is harmless: it only decides exactness). */
    static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= Math.min(k, n - k); i++) {
            r = r * (n - Math.min(k, n - k) + i) / i;
        }
        return Math.rint(r);
    }

    /** Counts rearrangements at least as extreme as the observed statistic. */
    private static final class Counter {
        private final double observed;
        private final Alternative alternative;
        private final double tolerance;
        private long extreme;
        private long total;

        Counter(double observed, Alternative alternative) {
            this.observed = observed;
            this.alternative = alternative;
            this.tolerance = TIE_TOLERANCE * Math.max(1, Math.abs(observed));
        }

        void add(double t) {
            total++;
            boolean asExtreme = switch (alternative) {
                case GREATER -> t >= observed - tolerance;
                case LESS -> t <= observed + tolerance;
                case TWO_SIDED -> Math.abs(t) >= Math.abs(observed) - tolerance;
            };
            if (asExtreme) {
                extreme++;
            }
        }

        Result exact() {
            return new Result(observed, (double) extreme / total, total, true, alternative);
        }

        Result monteCarlo() {
            return new Result(observed, (extreme + 1.0) / (total + 1.0), total, false, alternative);
        }
    }
}
