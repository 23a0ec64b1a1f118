package org.unmask.core.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The crossed factors of a set of items, as the {@link CrossedBootstrap} resamples them: for every factor (targets,
 * templates, contexts, group terms...) the level of each item, and the strata the levels are drawn within (group
 * terms are drawn within their group, so every resample keeps both groups).
 *
 * <p><b>Too few levels are held fixed.</b> Only strata with at least {@value #MIN_RESAMPLED_LEVELS} levels are
 * resampled. A stratum of one level cannot show its variation at all; a stratum of two levels shows it through a
 * single contrast: half of all resamples draw one level twice, so the bootstrap distribution is a mixture of
 * "only level 1" and "only level 2", its variance rests on one degree of freedom, and with a heterogeneous pair
 * (e.g. {@code she} and {@code her} in a subject slot) one such resample decides the interval. The coverage study
 * (docs/statistics.md) shows that two levels do not reach nominal coverage either way. Such strata keep every
 * level once in every resample, and an interval over the design holds for those levels only: {@link #caveat} says
 * so in words (e.g. "2 terms per group: too few to resample, holds for these terms only"), as for one level.
 * A factor is <em>resampled</em> when some stratum is.
 */
public final class CrossedDesign {
    /** The fewest levels a stratum needs to be resampled; smaller strata are held fixed (see the class comment). */
    public static final int MIN_RESAMPLED_LEVELS = 3;

    /**
     * One factor.
     *
     * @param name plural noun for people, e.g. {@code templates}
     * @param levelOf the level index of each item
     * @param strata the level indices of each stratum
     * @param levels number of levels
     */
    public record Factor(String name, int[] levelOf, int[][] strata, int levels) {
        /** Whether some stratum of this factor is resampled (has {@value #MIN_RESAMPLED_LEVELS} levels or more). */
        public boolean resampled() {
            for (int[] s : strata) {
                if (resampled(s)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether a stratum is resampled; smaller ones keep every level once (see the class comment). */
        public static boolean resampled(int[] stratum) {
            return stratum.length >= MIN_RESAMPLED_LEVELS;
        }

        /** The most levels of any stratum that is held fixed (0 when every stratum is resampled). */
        int maxFixedLevels() {
            int m = 0;
            for (int[] s : strata) {
                if (!resampled(s)) {
                    m = Math.max(m, s.length);
                }
            }
            return m;
        }

        /** The fewest levels of any stratum. */
        public int minLevels() {
            int m = Integer.MAX_VALUE;
            for (int[] s : strata) {
                m = Math.min(m, s.length);
            }
            return strata.length == 0 ? 0 : m;
        }
    }

    /**
     * How to read a factor off an item.
     *
     * @param name plural noun, e.g. {@code terms}
     * @param level the item's level (any value with equals/hashCode)
     * @param stratum the stratum the level is drawn within ({@code ""} for one stratum)
     */
    public record Spec<T>(String name, Function<? super T, ?> level, Function<? super T, ?> stratum) {
        public static <T> Spec<T> of(String name, Function<? super T, ?> level) {
            return new Spec<>(name, level, t -> "");
        }

        public static <T> Spec<T> within(String name, Function<? super T, ?> level, Function<? super T, ?> stratum) {
            return new Spec<>(name, level, stratum);
        }
    }

    private final int items;
    private final List<Factor> factors;

    private CrossedDesign(int items, List<Factor> factors) {
        this.items = items;
        this.factors = List.copyOf(factors);
    }

    /** The design of {@code items} under the given factors (levels numbered in first-seen order). */
    public static <T> CrossedDesign of(List<T> items, List<Spec<T>> specs) {
        List<Factor> fs = new ArrayList<>();
        for (Spec<T> spec : specs) {
            int[] levelOf = new int[items.size()];
            Map<List<Object>, Integer> index = new LinkedHashMap<>();
            Map<Object, List<Integer>> byStratum = new LinkedHashMap<>();
            for (int i = 0; i < items.size(); i++) {
                T item = items.get(i);
                Object stratum = spec.stratum().apply(item);
                List<Object> key = java.util.Arrays.asList(stratum, spec.level().apply(item));
                Integer level = index.get(key);
                if (level == null) {
                    level = index.size();
                    index.put(key, level);
                    byStratum.computeIfAbsent(stratum, k -> new ArrayList<>()).add(level);
                }
                levelOf[i] = level;
            }
            int[][] strata = byStratum.values().stream()
                    .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                    .toArray(int[][]::new);
            fs.add(new Factor(spec.name(), levelOf, strata, index.size()));
        }
        return new CrossedDesign(items.size(), fs);
    }

    /** One factor over {@code n} items, each its own level: the i.i.d. bootstrap of n observations. */
    public static CrossedDesign iid(String name, int n) {
        int[] levelOf = new int[n];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            levelOf[i] = i;
            all[i] = i;
        }
        return new CrossedDesign(n, List.of(new Factor(name, levelOf, n == 0 ? new int[0][] : new int[][] {all}, n)));
    }

    public int items() {
        return items;
    }

    public List<Factor> factors() {
        return factors;
    }

    /** The index of the factor with this name, or −1. */
    public int indexOf(String name) {
        for (int f = 0; f < factors.size(); f++) {
            if (factors.get(f).name().equals(name)) {
                return f;
            }
        }
        return -1;
    }

    /** Whether any factor is resampled. */
    public boolean resampled() {
        return factors.stream().anyMatch(Factor::resampled);
    }

    /**
     * What varies in an interval over this design, e.g. {@code targets × templates × terms}; {@code excluded}
     * names factors the statistic holds fixed. Empty when nothing is resampled.
     */
    public String describe(Set<String> excluded) {
        return factors.stream()
                .filter(f -> f.resampled() && !excluded.contains(f.name()))
                .map(Factor::name)
                .collect(Collectors.joining(" × "));
    }

    /**
     * The caveat an interval over this design must carry: factors (or strata) with fewer than
     * {@value #MIN_RESAMPLED_LEVELS} levels are held fixed, so the interval says nothing about other levels, e.g.
     * "1 template: holds for this template only" or "2 terms per group: too few to resample, holds for these terms
     * only". Factors in {@code excluded} are fixed on purpose and not mentioned; one context (no context prefixes)
     * is the default and not mentioned either. Empty when every factor is resampled.
     */
    public String caveat(Set<String> excluded) {
        List<String> out = new ArrayList<>();
        for (Factor f : factors) {
            int fixed = f.maxFixedLevels();
            if (excluded.contains(f.name()) || fixed == 0 || f.name().equals("contexts") && fixed == 1) {
                continue;
            }
            String one = singular(f.name());
            if (f.resampled()) {
                out.add(f.name() + " of a group with fewer than " + MIN_RESAMPLED_LEVELS + " held fixed: holds for "
                        + "those " + f.name() + " only");
            } else if (f.strata().length == 1) {
                out.add(
                        fixed == 1
                                ? "1 " + one + ": holds for this " + one + " only"
                                : fixed + " " + f.name() + ": too few to resample, holds for these " + f.name()
                                        + " only");
            } else {
                out.add(
                        fixed == 1
                                ? "1 " + one + " per group: holds for these " + f.name() + " only"
                                : (allStrataHave(f, fixed) ? "" : "at most ") + fixed + " " + f.name()
                                        + " per group: too few to resample, holds for these " + f.name() + " only");
            }
        }
        return String.join("; ", out);
    }

    private static boolean allStrataHave(Factor f, int levels) {
        for (int[] s : f.strata()) {
            if (s.length != levels) {
                return false;
            }
        }
        return true;
    }

    private static String singular(String name) {
        return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    }
}
