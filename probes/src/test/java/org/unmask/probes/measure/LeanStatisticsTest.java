package org.unmask.probes.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.Estimate;

class LeanStatisticsTest {
    /** Items of targets × templates × terms; {@code offset[side][term]} shifts a term, {@code lean[t]} a target. */
    private static List<LeanItem> items(
            double[] lean, int templates, String[][] terms, double[][] offset, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<LeanItem> out = new ArrayList<>();
        for (int t = 0; t < lean.length; t++) {
            for (int j = 0; j < templates; j++) {
                for (int s = 0; s < 2; s++) {
                    for (int k = 0; k < terms[s].length; k++) {
                        double y = (s == 0 ? 1 : -1) * lean[t] / 2 + offset[s][k] + noise * rnd.nextGaussian();
                        out.add(new LeanItem(
                                "m",
                                "j" + j,
                                0,
                                "",
                                s == 0 ? LeanItem.A : LeanItem.B,
                                s == 0 ? "she" : "he",
                                terms[s][k],
                                "t" + t,
                                "",
                                y,
                                Double.NaN,
                                y));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            out.add("t" + t);
        }
        return out;
    }

    private static LeanStatistics stats(List<LeanItem> items, int targets) {
        double[] stat = new double[targets];
        for (int t = 0; t < targets; t++) {
            stat[t] = 100.0 * t / targets;
        }
        return new LeanStatistics(items, names(targets), stat, 50, LeanPooling.MEAN, Aggregates.all());
    }

    @Test
    void aTermFarBelowItsGroupInEveryTemplateIsNamedWithAFix() {
        double[] lean = new double[20];
        String[][] terms = {{"she", "her"}, {"he", "him"}};
        double[][] offset = {{0, -4}, {0, -3.5}};
        List<LeanItem> items = items(lean, 4, terms, offset, 0.2, 1);
        List<LeanResult.Warning> warnings = TermCheck.heterogeneous(items, new double[20]);
        assertEquals(
                List.of("her", "him"),
                warnings.stream().map(LeanResult.Warning::subject).toList());
        assertTrue(
                warnings.get(0).message().contains("group 'she'"),
                warnings.get(0).message());
        assertTrue(
                warnings.get(0).fix().contains("remove 'her' from group 'she'"),
                warnings.get(0).fix());
        assertEquals("heterogeneous-term", warnings.get(0).kind());
    }

    @Test
    void homogeneousTermsGiveNoWarning() {
        String[][] terms = {{"woman", "girl", "mother"}, {"man", "boy", "father"}};
        double[][] offset = {{0, 0.3, -0.4}, {0.2, -0.3, 0}};
        assertTrue(TermCheck.heterogeneous(items(new double[10], 3, terms, offset, 0.3, 2), new double[10])
                .isEmpty());
    }

    @Test
    void theNoiseFloorSeparatesAnUnbiasedModelFromABiasedOne() {
        String[][] terms = {{"a1", "a2", "a3"}, {"b1", "b2", "b3"}};
        double[][] offset = new double[2][3];
        int meanAbs = Aggregates.ids().indexOf("mean-abs-bias");
        LeanStatistics.Outcome none =
                stats(items(new double[30], 4, terms, offset, 0.5, 3), 30).compute(new CrossedBootstrap(5, 400));
        assertTrue(none.aggregates().get(meanAbs).value() > 0, "mean |lean| of noise is positive");
        assertTrue(
                none.noiseFloors().get(meanAbs).p() > 0.05,
                none.noiseFloors().get(meanAbs).toString());
        double[] lean = new double[30];
        for (int t = 0; t < 30; t++) {
            lean[t] = t % 2 == 0 ? 1.5 : -1.5;
        }
        LeanStatistics.Outcome biased =
                stats(items(lean, 4, terms, offset, 0.5, 4), 30).compute(new CrossedBootstrap(5, 400));
        assertTrue(
                biased.noiseFloors().get(meanAbs).p() < 0.01,
                biased.noiseFloors().get(meanAbs).toString());
        assertTrue(biased.noiseFloors().get(meanAbs).value()
                < biased.aggregates().get(meanAbs).value());
    }

    @Test
    void falseDiscoveryRateMarksOnlyTargetsThatReallyLean() {
        String[][] terms = {{"a1", "a2", "a3"}, {"b1", "b2", "b3"}};
        double[] lean = new double[40];
        for (int t = 0; t < 10; t++) {
            lean[t] = 3;
        }
        LeanStatistics.Outcome o =
                stats(items(lean, 6, terms, new double[2][3], 0.3, 6), 40).compute(new CrossedBootstrap(8, 500));
        for (int t = 0; t < 40; t++) {
            assertEquals(t < 10, o.q()[t] <= 0.05, "target " + t + " q=" + o.q()[t] + " p=" + o.p()[t]);
        }
    }

    @Test
    void everyIntervalContainsItsEstimateAndNamesWhatItResamples() {
        String[][] terms = {{"she", "her"}, {"he", "him"}};
        double[][] offset = {{0, -6}, {0, -5}};
        SplittableRandom rnd = new SplittableRandom(9);
        double[] lean = new double[81];
        for (int t = 0; t < lean.length; t++) {
            lean[t] = rnd.nextGaussian();
        }
        LeanStatistics.Outcome o =
                stats(items(lean, 4, terms, offset, 0.3, 10), 81).compute(new CrossedBootstrap(11, 300));
        for (int k = 0; k < o.aggregates().size(); k++) {
            Estimate e = o.aggregates().get(k);
            assertTrue(e.ci95().contains(e.value()), Aggregates.ids().get(k) + " " + e);
            // two terms per group are too few to resample: held fixed, and the note says so
            String expected = Aggregates.all().get(k).overTargets() ? "targets × templates" : "templates";
            assertEquals(expected, e.ci95().resamples());
            assertTrue(
                    e.ci95().note().contains("2 terms per group: too few to resample, holds for these terms only"),
                    e.ci95().note());
        }
        // issue 13: a resample drawing only 'her' against only 'he' (5-6 nats apart) no longer decides the interval;
        // 81 leans of sd 1 give a mean-bias interval about ±0.25 wide
        Estimate meanBias = o.aggregates().get(Aggregates.ids().indexOf("mean-bias"));
        assertTrue(meanBias.ci95().width() < 1.5, meanBias.toString());
        o.targets().forEach(e -> assertTrue(e.ci95().contains(e.value()), e.toString()));
    }

    private static LeanItem answer(String target, boolean sideA, String term, double logProb) {
        return new LeanItem(
                "m",
                "was-a",
                0,
                "",
                sideA ? LeanItem.A : LeanItem.B,
                sideA ? "f" : "m",
                term,
                target,
                "",
                logProb,
                Double.NaN,
                logProb);
    }

    @Test
    void topAnswerShareCountsTheSingleMostLikelyTermAsLmEvalPctMalePreferredDoes() {
        // t0: P(male) is the single largest answer, but P(female) + P(woman) > P(male) + P(man): lm-eval's
        // pct_male_preferred counts it as male preferred, share-leaning-b (pooled probability) does not.
        // t1: both say female; t2: both say male.
        List<LeanItem> items = new ArrayList<>();
        double[][] p = {{0.30, 0.30, 0.35, 0.05}, {0.5, 0.2, 0.1, 0.1}, {0.1, 0.1, 0.5, 0.2}};
        String[] words = {"female", "woman", "male", "man"};
        for (int t = 0; t < p.length; t++) {
            for (int k = 0; k < 4; k++) {
                items.add(answer("t" + t, k < 2, words[k], Math.log(p[t][k])));
            }
        }
        LeanStatistics stats = new LeanStatistics(
                items, names(3), new double[] {10, 50, 90}, 50, LeanPooling.LOG_SUM, Aggregates.all());
        LeanStatistics.Outcome o = stats.compute(new CrossedBootstrap(1, 200));
        assertEquals(
                2.0 / 3,
                o.aggregates()
                        .get(Aggregates.ids().indexOf("share-top-answer-b"))
                        .value(),
                1e-12);
        assertEquals(
                1.0 / 3,
                o.aggregates().get(Aggregates.ids().indexOf("share-leaning-b")).value(),
                1e-12);
    }
}
