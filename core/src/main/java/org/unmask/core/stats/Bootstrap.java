package org.unmask.core.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Seeded percentile bootstrap (Efron &amp; Tibshirani 1993, §13.3), i.i.d. or clustered.
 *
 * <p>The 95 % interval is the 2.5 % and 97.5 % {@link Quantiles type-7 quantiles} of the statistic over
 * {@code resamples} resampled data sets. Resamples whose statistic is NaN (e.g. a correlation of a constant
 * resample) are left out of the quantiles; {@link Replicates#undefined()} counts them.
 *
 * <p><b>Clustered / multi-way bootstrap.</b> Template-based measures have items that share a template and a group
 * term, so items are not independent; resampling items would give intervals that are too narrow. Given one key
 * function per crossed factor (e.g. template, term), each resample draws, for every factor independently, as many
 * levels as it has, with replacement, and keeps item {@code i} with multiplicity
 * {@code Π_f m_f(level_f(i))}, where {@code m_f} counts how often a level was drawn (the "pigeonhole" bootstrap
 * of Owen 2007 for crossed random effects). With one factor this is the ordinary cluster bootstrap.
 *
 * <p>Every call starts a fresh {@link SplittableRandom} from the seed, so the same data and seed give the same
 * interval regardless of call order.
 */
public final class Bootstrap {
    /** Default number of resamples: enough for stable 2.5 % / 97.5 % percentiles. */
    public static final int DEFAULT_RESAMPLES = 2000;

    private final long seed;
    private final int resamples;

    public Bootstrap(long seed, int resamples) {
        if (resamples < 2) {
            throw new IllegalArgumentException("need at least 2 bootstrap resamples, got " + resamples);
        }
        this.seed = seed;
        this.resamples = resamples;
    }

    public Bootstrap(long seed) {
        this(seed, DEFAULT_RESAMPLES);
    }

    public long seed() {
        return seed;
    }

    public int resamples() {
        return resamples;
    }

    /**
     * The statistic's replicate values.
     *
     * @param values one value per resample (NaN where the statistic was undefined)
     * @param undefined how many resamples gave NaN
     */
    public record Replicates(double[] values, int undefined) {
        /** Percentile 95 % interval of the defined replicates. */
        public Interval percentile95() {
            return percentileInterval(values, 0.95);
        }
    }

    /** Mean with an i.i.d. percentile bootstrap interval. */
    public Estimate mean(double[] data) {
        return iid(data, Moments::mean);
    }

    /** Any statistic of a sample with an i.i.d. percentile bootstrap interval. */
    public Estimate iid(double[] data, ToDoubleFunction<double[]> statistic) {
        double value = statistic.applyAsDouble(data);
        if (data.length == 0) {
            return Estimate.undefinedInterval(value, 0);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] reps = new double[resamples];
        double[] sample = new double[data.length];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = data[rnd.nextInt(data.length)];
            }
            reps[b] = statistic.applyAsDouble(sample);
        }
        return new Estimate(value, percentileInterval(reps, 0.95), data.length);
    }

    /**
     * A statistic of items with a clustered (multi-way) bootstrap interval; see the class comment.
     *
     * @param items the observations
     * @param factors one key per crossed factor (e.g. {@code Item::template}, {@code Item::term}); empty means
     *     i.i.d. resampling of items
     * @param statistic computed on the full list and on each resampled list (with repeats)
     */
    public <T> Estimate clustered(List<T> items, List<? extends Function<? super T, ?>> factors,
            ToDoubleFunction<List<T>> statistic) {
        double value = items.isEmpty() ? Double.NaN : statistic.applyAsDouble(items);
        if (items.isEmpty()) {
            return Estimate.undefinedInterval(value, 0);
        }
        Replicates reps = replicates(items, factors, statistic);
        return new Estimate(value, reps.percentile95(), items.size());
    }

    /** The replicate values of {@link #clustered}. */
    public <T> Replicates replicates(List<T> items, List<? extends Function<? super T, ?>> factors,
            ToDoubleFunction<List<T>> statistic) {
        List<Factor<T>> fs = new ArrayList<>();
        for (Function<? super T, ?> f : factors) {
            fs.add(Factor.of(f));
        }
        return factorReplicates(items, fs, statistic);
    }

    /**
     * A crossed factor to resample: the level of an item (e.g. its template) and the stratum the level belongs to.
     * Levels are drawn within their stratum, as many as the stratum has, so every stratum stays represented (e.g.
     * group terms are drawn within their group, and a resample always has terms of both groups).
     */
    public record Factor<T>(Function<? super T, ?> level, Function<? super T, ?> stratum) {
        public static <T> Factor<T> of(Function<? super T, ?> level) {
            return new Factor<>(level, t -> "");
        }

        public static <T> Factor<T> within(Function<? super T, ?> level, Function<? super T, ?> stratum) {
            return new Factor<>(level, stratum);
        }
    }

    /** {@link #clustered} with stratified factors. */
    public <T> Estimate clusteredFactors(List<T> items, List<Factor<T>> factors, ToDoubleFunction<List<T>> statistic) {
        double value = items.isEmpty() ? Double.NaN : statistic.applyAsDouble(items);
        if (items.isEmpty()) {
            return Estimate.undefinedInterval(value, 0);
        }
        return new Estimate(value, factorReplicates(items, factors, statistic).percentile95(), items.size());
    }

    /** The replicate values of {@link #clusteredFactors}. */
    public <T> Replicates factorReplicates(List<T> items, List<Factor<T>> factors,
            ToDoubleFunction<List<T>> statistic) {
        Levels[] levels = new Levels[factors.size()];
        for (int f = 0; f < factors.size(); f++) {
            levels[f] = new Levels(items, factors.get(f));
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] reps = new double[resamples];
        int undefined = 0;
        for (int b = 0; b < resamples; b++) {
            List<T> sample = factors.isEmpty() ? iidSample(items, rnd) : clusterSample(items, levels, rnd);
            reps[b] = sample.isEmpty() ? Double.NaN : statistic.applyAsDouble(sample);
            if (Double.isNaN(reps[b])) {
                undefined++;
            }
        }
        return new Replicates(reps, undefined);
    }

    /**
     * Several statistics on the same resamples (cheaper than one call per statistic, and their replicates are
     * paired).
     *
     * @param statistics returns {@code count} values for a list of items
     * @return one {@link Replicates} per statistic
     */
    public <T> List<Replicates> factorReplicatesMulti(List<T> items, List<Factor<T>> factors,
            Function<List<T>, double[]> statistics, int count) {
        Levels[] levels = new Levels[factors.size()];
        for (int f = 0; f < factors.size(); f++) {
            levels[f] = new Levels(items, factors.get(f));
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] reps = new double[count][resamples];
        int[] undefined = new int[count];
        for (int b = 0; b < resamples; b++) {
            List<T> sample = factors.isEmpty() ? iidSample(items, rnd) : clusterSample(items, levels, rnd);
            double[] values = sample.isEmpty() ? null : statistics.apply(sample);
            for (int k = 0; k < count; k++) {
                reps[k][b] = values == null ? Double.NaN : values[k];
                if (Double.isNaN(reps[k][b])) {
                    undefined[k]++;
                }
            }
        }
        List<Replicates> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(new Replicates(reps[k], undefined[k]));
        }
        return out;
    }

    /** The levels of one factor: each item's level index, and the levels of each stratum. */
    private static final class Levels {
        final int[] levelOf;
        final List<int[]> strata = new ArrayList<>();
        final int count;

        <T> Levels(List<T> items, Factor<T> factor) {
            levelOf = new int[items.size()];
            Map<Object, Integer> index = new LinkedHashMap<>();
            Map<Object, List<Integer>> byStratum = new LinkedHashMap<>();
            for (int i = 0; i < items.size(); i++) {
                T item = items.get(i);
                Object key = List.of(String.valueOf(factor.stratum().apply(item)), factor.level().apply(item));
                Integer level = index.get(key);
                if (level == null) {
                    level = index.size();
                    index.put(key, level);
                    byStratum.computeIfAbsent(factor.stratum().apply(item), k -> new ArrayList<>()).add(level);
                }
                levelOf[i] = level;
            }
            for (List<Integer> s : byStratum.values()) {
                strata.add(s.stream().mapToInt(Integer::intValue).toArray());
            }
            count = index.size();
        }

        int[] draw(SplittableRandom rnd) {
            int[] drawn = new int[count];
            for (int[] s : strata) {
                for (int k = 0; k < s.length; k++) {
                    drawn[s[rnd.nextInt(s.length)]]++;
                }
            }
            return drawn;
        }
    }

    private static <T> List<T> iidSample(List<T> items, SplittableRandom rnd) {
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(items.get(rnd.nextInt(items.size())));
        }
        return out;
    }

    private static <T> List<T> clusterSample(List<T> items, Levels[] levels, SplittableRandom rnd) {
        int[][] drawn = new int[levels.length][];
        for (int f = 0; f < levels.length; f++) {
            drawn[f] = levels[f].draw(rnd);
        }
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            int weight = 1;
            for (int f = 0; f < levels.length && weight > 0; f++) {
                weight *= drawn[f][levels[f].levelOf[i]];
            }
            for (int w = 0; w < weight; w++) {
                out.add(items.get(i));
            }
        }
        return out;
    }

    /**
     * The central percentile interval of replicate values: the {@code (1 − level)/2} and {@code (1 + level)/2}
     * type-7 quantiles of the non-NaN values; undefined when there are none.
     */
    public static Interval percentileInterval(double[] replicates, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), was " + level);
        }
        double[] sorted = Quantiles.sortedFinite(replicates);
        if (sorted.length == 0) {
            return Interval.UNDEFINED;
        }
        double alpha = (1 - level) / 2;
        return new Interval(Quantiles.ofSorted(sorted, alpha), Quantiles.ofSorted(sorted, 1 - alpha));
    }

    /** Groups items by a key, keeping first-seen order; a helper for statistics that aggregate per group. */
    public static <T, K> Map<K, List<T>> groupBy(List<T> items, Function<? super T, K> key) {
        Map<K, List<T>> out = new LinkedHashMap<>();
        for (T t : items) {
            out.computeIfAbsent(key.apply(t), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    /** Mean of a value per group, for each group (e.g. mean association per occupation over templates and terms). */
    public static <T, K> Map<K, Double> groupMeans(List<T> items, Function<? super T, K> key,
            ToDoubleFunction<? super T> value) {
        Map<K, double[]> acc = new HashMap<>();
        Map<K, Double> out = new LinkedHashMap<>();
        for (T t : items) {
            double[] a = acc.computeIfAbsent(key.apply(t), k -> new double[2]);
            a[0] += value.applyAsDouble(t);
            a[1]++;
        }
        for (T t : items) {
            K k = key.apply(t);
            if (!out.containsKey(k)) {
                double[] a = acc.get(k);
                out.put(k, a[0] / a[1]);
            }
        }
        return out;
    }
}
