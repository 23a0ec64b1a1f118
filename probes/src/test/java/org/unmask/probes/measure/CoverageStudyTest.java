package org.unmask.probes.measure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unmask.core.result.LeanItem;
import org.unmask.core.stats.Correlation;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.EffectSize;
import org.unmask.core.stats.Estimate;

/**
 * The coverage simulation study of docs/statistics.md: synthetic crossed designs with known population values,
 * run through the audit's own {@link LeanStatistics}, and the share of nominal 95 % intervals that cover the truth.
 *
 * <p>Grid: targets 8, 81 × templates 1, 2, 4, 14 × terms per group 1, 3, 8 × Gaussian or heavy-tailed (Student t,
 * 3 df) term effects × zero or non-zero true bias. Item score {@code y = s μ_t / 2 + τ_j^s + w_tj s / 2 + u_sk + e}
 * for side {@code s = ±1}: target lean {@code μ_t = β + γ z_t + σ_r r_t} ({@code z_t} the standardised statistic
 * {@code x_t ~ U(0, 100)}), template-by-side {@code τ}, target-by-template {@code w}, term {@code u}, noise {@code e}.
 * Templates and terms are fresh draws from their populations in every replication, so the estimands are population
 * values: mean lean {@code β}, mean |lean| {@code E|μ|}, share leaning {@code P(μ > 0)}, Pearson/Spearman of
 * {@code μ} and {@code x}, Cohen's d of {@code μ} split at {@code x = 50}; max |lean| holds targets fixed, so its
 * estimand is {@code max_t |μ_t|} of the replication's targets.
 *
 * <p>CI size: {@value #CI_REPLICATIONS} replications per cell that can reach nominal coverage and
 * {@value #CI_REPLICATIONS_UNREACHABLE} per cell that cannot (only shown), each with {@value #CI_RESAMPLES}
 * bootstrap resamples (the audit uses 2,000; fewer resamples make the BCa end points noisier, which if anything
 * lowers coverage).
 * {@code -Dunmask.coverage.long=true} runs 1,000 replications with 1,000 resamples. Coverage is asserted per
 * aggregate, pooled over the designs that can reach it (at least 4 templates and 3 terms per group; fewer leave
 * template or term variation out of reach, and the interval's note says so), within [0.92, 0.98].
 */
class CoverageStudyTest {
    static final int CI_REPLICATIONS = 200;
    static final int CI_REPLICATIONS_UNREACHABLE = 40;
    static final int CI_RESAMPLES = 200;
    private static final boolean LONG = Boolean.getBoolean("unmask.coverage.long");
    private static final double SIGMA_TAU = 0.15;
    private static final double SIGMA_W = 0.2;
    private static final double SIGMA_U = 0.3;
    private static final double SIGMA_E = 0.3;
    private static final String[] KINDS = {
        "mean-bias", "mean-abs-bias", "max-abs-bias", "share-leaning-a", "effect-size", "pearson", "spearman"
    };

    record Truth(double beta, double gamma, double sigmaR) {}

    private static final Truth ZERO = new Truth(0, 0, 0.4);
    private static final Truth BIASED = new Truth(0.3, 0.5, 0.4);

    @Test
    void nominal95PercentIntervalsCoverThePopulationValueAndAlwaysContainTheirEstimate() {
        int reps = LONG ? 1000 : CI_REPLICATIONS;
        int resamples = LONG ? 1000 : CI_RESAMPLES;
        Map<Truth, double[]> population = new LinkedHashMap<>();
        population.put(ZERO, populationValues(ZERO));
        population.put(BIASED, populationValues(BIASED));
        StringBuilder table = new StringBuilder("| targets | templates | terms | effects | bias | ");
        table.append(String.join(" | ", KINDS))
                .append(" |\n|")
                .append("---|".repeat(5 + KINDS.length))
                .append('\n');
        long[] pooledHit = new long[KINDS.length];
        long[] pooledN = new long[KINDS.length];
        long excluded = 0;
        long cellSeed = 1;
        for (int targets : new int[] {8, 81}) {
            for (int templates : new int[] {1, 2, 4, 14}) {
                for (int terms : new int[] {1, 3, 8}) {
                    boolean reachable = templates >= 4 && terms >= 3;
                    int cellReps = LONG ? reps : reachable ? reps : CI_REPLICATIONS_UNREACHABLE;
                    for (boolean heavy : new boolean[] {false, true}) {
                        for (Truth truth : List.of(ZERO, BIASED)) {
                            int[] hit = new int[KINDS.length];
                            int[] n = new int[KINDS.length];
                            SplittableRandom rnd = new SplittableRandom(cellSeed++);
                            for (int r = 0; r < cellReps; r++) {
                                excluded += replicate(
                                        rnd,
                                        targets,
                                        templates,
                                        terms,
                                        heavy,
                                        truth,
                                        population.get(truth),
                                        resamples,
                                        hit,
                                        n);
                            }
                            table.append(String.format(
                                    Locale.ROOT,
                                    "| %d | %d | %d | %s | %s |",
                                    targets,
                                    templates,
                                    terms,
                                    heavy ? "t3" : "normal",
                                    truth == ZERO ? "zero" : "non-zero"));
                            for (int k = 0; k < KINDS.length; k++) {
                                table.append(
                                        n[k] == 0
                                                ? " n/a |"
                                                : String.format(
                                                        Locale.ROOT,
                                                        " %.2f%s |",
                                                        hit[k] / (double) n[k],
                                                        reachable ? "" : "*"));
                                if (reachable) {
                                    pooledHit[k] += hit[k];
                                    pooledN[k] += n[k];
                                }
                            }
                            table.append('\n');
                        }
                    }
                }
            }
        }
        table.append("\n(* design cannot reach nominal coverage: fewer than 4 templates or 3 terms per group)\n\n");
        table.append("pooled over reachable designs (Monte Carlo standard error in brackets):\n");
        for (int k = 0; k < KINDS.length; k++) {
            double c = pooledHit[k] / (double) pooledN[k];
            table.append(String.format(
                    Locale.ROOT,
                    "  %-16s %.3f (±%.3f, %d intervals)%n",
                    KINDS[k],
                    c,
                    Math.sqrt(c * (1 - c) / pooledN[k]),
                    pooledN[k]));
        }
        String report =
                "coverage study, " + reps + " replications per reachable cell, " + resamples + " resamples\n" + table;
        System.out.println(report);
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "coverage-study.md"), report);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(excluded == 0, excluded + " intervals excluded their own estimate");
        for (int k = 0; k < KINDS.length; k++) {
            double c = pooledHit[k] / (double) pooledN[k];
            if (KINDS[k].equals("max-abs-bias")) {
                continue; // reported, not asserted: see docs/statistics.md
            }
            assertTrue(c >= 0.92 && c <= 0.98, KINDS[k] + " coverage " + c + "\n" + table);
        }
    }

    /** One synthetic audit; adds hits and counts per aggregate; returns how many intervals excluded the estimate. */
    private static int replicate(
            SplittableRandom rnd,
            int targets,
            int templates,
            int terms,
            boolean heavy,
            Truth truth,
            double[] population,
            int resamples,
            int[] hit,
            int[] n) {
        double[] x = new double[targets];
        double[] mu = new double[targets];
        List<String> names = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            x[t] = 100 * rnd.nextDouble();
            mu[t] = truth.beta() + truth.gamma() * (x[t] - 50) / 28.87 + truth.sigmaR() * rnd.nextGaussian();
            names.add("t" + t);
        }
        double[][] tau = new double[templates][2];
        double[][] w = new double[targets][templates];
        double[][] u = new double[2][terms];
        for (int j = 0; j < templates; j++) {
            tau[j][0] = SIGMA_TAU * rnd.nextGaussian();
            tau[j][1] = SIGMA_TAU * rnd.nextGaussian();
            for (int t = 0; t < targets; t++) {
                w[t][j] = SIGMA_W * rnd.nextGaussian();
            }
        }
        for (int s = 0; s < 2; s++) {
            for (int k = 0; k < terms; k++) {
                u[s][k] = SIGMA_U * (heavy ? studentT3(rnd) : rnd.nextGaussian());
            }
        }
        List<LeanItem> items = new ArrayList<>(targets * templates * terms * 2);
        for (int t = 0; t < targets; t++) {
            for (int j = 0; j < templates; j++) {
                for (int s = 0; s < 2; s++) {
                    double sign = s == 0 ? 1 : -1;
                    for (int k = 0; k < terms; k++) {
                        double y = sign * (mu[t] + w[t][j]) / 2 + tau[j][s] + u[s][k] + SIGMA_E * rnd.nextGaussian();
                        items.add(new LeanItem(
                                "sim",
                                "j" + j,
                                0,
                                "",
                                s == 0 ? LeanItem.A : LeanItem.B,
                                "g" + s,
                                "g" + s + "k" + k,
                                names.get(t),
                                "",
                                y,
                                Double.NaN,
                                y));
                    }
                }
            }
        }
        LeanStatistics stats = new LeanStatistics(items, names, x, 50, LeanPooling.MEAN, Aggregates.all());
        LeanStatistics.Outcome out = stats.compute(new CrossedBootstrap(rnd.nextLong(), resamples));
        double maxAbs = Arrays.stream(mu).map(Math::abs).max().orElseThrow();
        int excluded = 0;
        for (int k = 0; k < KINDS.length; k++) {
            int index = Aggregates.ids().indexOf(KINDS[k]);
            Estimate e = out.aggregates().get(index);
            if (!e.ci95().isDefined()) {
                continue;
            }
            if (!e.ci95().contains(e.value())) {
                excluded++;
            }
            double truthValue = KINDS[k].equals("max-abs-bias") ? maxAbs : population[k];
            n[k]++;
            if (e.ci95().contains(truthValue)) {
                hit[k]++;
            }
        }
        for (Estimate e : out.targets()) {
            if (e.ci95().isDefined() && !e.ci95().contains(e.value())) {
                excluded++;
            }
        }
        return excluded;
    }

    /** Population values in {@link #KINDS} order (max |lean| is per replication, NaN here), by 10^6 targets. */
    static double[] populationValues(Truth truth) {
        SplittableRandom rnd = new SplittableRandom(99);
        int n = 1_000_000;
        double[] x = new double[n];
        double[] mu = new double[n];
        double abs = 0;
        double mean = 0;
        int positive = 0;
        for (int i = 0; i < n; i++) {
            x[i] = 100 * rnd.nextDouble();
            mu[i] = truth.beta() + truth.gamma() * (x[i] - 50) / 28.87 + truth.sigmaR() * rnd.nextGaussian();
            mean += mu[i];
            abs += Math.abs(mu[i]);
            positive += mu[i] > 0 ? 1 : 0;
        }
        double[][] xy = SplitEffectSize.split(mu, x, 50);
        return new double[] {
            mean / n,
            abs / n,
            Double.NaN,
            positive / (double) n,
            EffectSize.cohensD(xy[0], xy[1]),
            Correlation.pearson(mu, x),
            Correlation.spearman(mu, x)
        };
    }

    private static double studentT3(SplittableRandom rnd) {
        double chi = 0;
        for (int i = 0; i < 3; i++) {
            double g = rnd.nextGaussian();
            chi += g * g;
        }
        // scaled to unit variance (a t3 has variance 3)
        return rnd.nextGaussian() / Math.sqrt(chi / 3) / Math.sqrt(3);
    }
}
