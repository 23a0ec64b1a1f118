package org.unmask.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The crossed bootstrap, BCa, noise floor, FDR and Wilson building blocks. */
class StatisticsEngineTest {
    private record Cell(String target, String template, String side, String term, double value) {}

    @Test
    void normalCdfAndQuantileMatchKnownValues() {
        assertEquals(0.5, Normal.cdf(0), 1e-15);
        assertEquals(0.975002104851780, Normal.cdf(1.96), 1e-13);
        assertEquals(0.158655253931457, Normal.cdf(-1), 1e-13);
        assertEquals(1.959963984540054, Normal.quantile(0.975), 1e-12);
        assertEquals(-2.326347874040841, Normal.quantile(0.01), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, Normal.quantile(0));
        assertEquals(7.61985302416047e-24, Normal.cdf(-10), 1e-28);
    }

    @Test
    void bcaOfASymmetricStatisticEqualsThePercentileInterval() {
        double[] reps = new double[1001];
        for (int i = 0; i < reps.length; i++) {
            reps[i] = i - 500;
        }
        Interval bca = Bca.interval(0, reps, 0, 0.95, "targets");
        Interval pct = Bca.percentile(reps, 0.95, "");
        assertEquals(pct.lower(), bca.lower(), 1e-9);
        assertEquals(pct.upper(), bca.upper(), 1e-9);
        assertEquals("bca", bca.method());
        assertEquals("targets", bca.resamples());
        assertEquals("", bca.note());
    }

    @Test
    void bcaShiftsTheIntervalAgainstTheResamplingBias() {
        // replicates centred 1 above the estimate (like mean |lean| rising under resampling): the percentile
        // interval [1.1, 2.9] would exclude the estimate 1.5's unbiased neighbourhood; BCa moves down
        double[] reps = new double[2001];
        for (int i = 0; i < reps.length; i++) {
            reps[i] = 1.2 + 1.6 * i / 2000.0;
        }
        Interval bca = Bca.interval(1.5, reps, 0, 0.95, "templates");
        Interval pct = Bca.percentile(reps, 0.95, "");
        assertTrue(bca.lower() < pct.lower() && bca.upper() < pct.upper(), bca.toString());
        assertTrue(bca.contains(1.5), bca.toString());
    }

    @Test
    void anEstimateInTheTailOfItsReplicatesIsNeverExcluded() {
        double[] reps = new double[500];
        for (int i = 0; i < reps.length; i++) {
            reps[i] = 5 + i / 100.0;
        }
        Interval ci = Bca.interval(1.0, reps, 0.1, 0.95, "terms");
        assertTrue(ci.contains(1.0), ci.toString());
        assertTrue(ci.note().startsWith("bias-dominated"), ci.note());
    }

    @Test
    void constantReplicatesGiveAZeroWidthIntervalThatSaysSo() {
        Interval ci = Bca.interval(3, new double[] {3, 3, 3}, 0, 0.95, "templates");
        assertEquals(3, ci.lower());
        assertEquals(3, ci.upper());
        assertEquals("no variation across resamples", ci.note());
    }

    @Test
    void nothingToResampleGivesAnUndefinedIntervalWithItsReason() {
        Interval ci = Bca.interval(3, new double[] {3, 3}, 0, 0.95, "");
        assertFalse(ci.isDefined());
        assertTrue(ci.note().contains("nothing to resample"));
    }

    @Test
    void pigeonholeDrawsKeepEveryStratumAndMultiplyCounts() {
        List<Cell> cells = design(3, 3, 3, new SplittableRandom(1));
        CrossedDesign d = CrossedDesign.of(cells, specs());
        assertEquals("targets × templates × terms", d.describe(Set.of()));
        assertEquals("templates × terms", d.describe(Set.of("targets")));
        CrossedBootstrap.Result r = new CrossedBootstrap(7, 300).run(d, 2, draw -> {
            double a = 0;
            double b = 0;
            for (int i = 0; i < cells.size(); i++) {
                double w = draw.weight(i);
                if (cells.get(i).side().equals("a")) {
                    a += w;
                } else {
                    b += w;
                }
            }
            return new double[] {a, b};
        });
        // both sides always drawn: terms are drawn within their side
        for (int b = 0; b < 300; b++) {
            assertTrue(r.replicates()[0][b] > 0 && r.replicates()[1][b] > 0);
        }
        assertArrayEquals(new double[] {cells.size() / 2.0, cells.size() / 2.0}, r.estimates());
    }

    @Test
    void sameSeedSameReplicates() {
        List<Cell> cells = design(8, 4, 3, new SplittableRandom(2));
        CrossedDesign d = CrossedDesign.of(cells, specs());
        CrossedBootstrap.Result a = new CrossedBootstrap(9, 200).run(d, 1, draw -> new double[] {mean(cells, draw)});
        CrossedBootstrap.Result b = new CrossedBootstrap(9, 200).run(d, 1, draw -> new double[] {mean(cells, draw)});
        assertArrayEquals(a.replicates()[0], b.replicates()[0]);
        assertEquals(a.bca(0), b.bca(0));
    }

    @Test
    void jackknifeAccelerationIsZeroForASymmetricDesignAndSignedForSkewedData() {
        CrossedDesign flat = CrossedDesign.iid("values", 4);
        double[] x = {1, 2, 3, 4};
        double[] a = CrossedBootstrap.acceleration(flat, 1, draw -> new double[] {weightedMean(x, draw)});
        assertEquals(0, a[0], 1e-12);
        double[] skewed = {0, 0, 0, 0, 0, 0, 0, 10};
        double[] s = CrossedBootstrap.acceleration(
                CrossedDesign.iid("values", 8), 1, draw -> new double[] {weightedMean(skewed, draw)});
        assertTrue(s[0] > 0.05, "right skew gives positive acceleration: " + s[0]);
    }

    @Test
    void aSingleTemplateIsNamedInTheCaveat() {
        List<Cell> cells = design(5, 1, 3, new SplittableRandom(3));
        CrossedDesign d = CrossedDesign.of(cells, specs());
        assertEquals("targets × terms", d.describe(Set.of()));
        assertEquals("1 template: holds for this template only", d.caveat(Set.of()));
    }

    @Test
    void noiseFloorOfPureNoiseIsNotSignificant() {
        double[] nullDraws = new double[999];
        for (int i = 0; i < nullDraws.length; i++) {
            nullDraws[i] = i / 999.0;
        }
        NoiseFloor f = NoiseFloor.of(0.5, nullDraws, NoiseFloor.RECENTRED);
        assertEquals(0.4995, f.value(), 1e-3);
        assertEquals(0.5, f.p(), 0.01);
        assertEquals(
                1.0 / 1000, NoiseFloor.of(2, nullDraws, NoiseFloor.RECENTRED).p(), 1e-12);
    }

    @Test
    void benjaminiHochbergAdjustsBySortedRankWithARunningMinimum() {
        // by hand: sorted 0.01 0.03 0.04 0.20, m p / rank = 0.04 0.06 0.0533 0.20, running minimum from the top
        double[] q = Fdr.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.20, Double.NaN});
        assertEquals(0.04, q[0], 1e-12);
        assertEquals(0.16 / 3, q[1], 1e-12);
        assertEquals(0.16 / 3, q[2], 1e-12);
        assertEquals(0.20, q[3], 1e-12);
        assertTrue(Double.isNaN(q[4]));
    }

    @Test
    void wilsonIntervalMatchesTheClosedFormAndStaysInZeroOne() {
        // R: prop.test(3, 10, correct = FALSE)$conf.int = 0.1077913 0.6032219
        Interval ci = Proportions.wilson(3, 10);
        assertEquals(0.1077913, ci.lower(), 1e-6);
        assertEquals(0.6032219, ci.upper(), 1e-6);
        assertEquals(0, Proportions.wilson(0, 5).lower());
        assertEquals(1, Proportions.wilson(5, 5).upper());
        assertEquals("wilson", ci.method());
        assertFalse(Proportions.wilson(0, 0).isDefined());
    }

    @Test
    void percentileIntervalUsesType7QuantilesAndLeavesUndefinedReplicatesOut() {
        double[] reps = new double[101];
        for (int i = 0; i < reps.length; i++) {
            reps[reps.length - 1 - i] = i + 1; // unsorted on purpose
        }
        // h = 100 * 0.025 = 2.5 -> 3 + 0.5 * (4 - 3); h = 97.5 -> 98 + 0.5
        Interval ci = Bca.percentile(reps, 0.95, "sentences");
        assertEquals(3.5, ci.lower(), 1e-12);
        assertEquals(98.5, ci.upper(), 1e-12);
        assertEquals("percentile", ci.method());
        Interval half = Bca.percentile(new double[] {Double.NaN, 1, 2, 3, Double.NaN}, 0.5, "");
        assertEquals(1.5, half.lower(), 1e-12);
        assertEquals(2.5, half.upper(), 1e-12);
        assertFalse(Bca.percentile(new double[] {Double.NaN}, 0.95, "").isDefined());
    }

    /**
     * Issue 13's she/her vs he/him suite: with two terms per group, half of all resamples draw one term twice, and a
     * term far below its partner ("her" in a subject slot) then decides the interval. Two-level strata are held
     * fixed instead, and the caveat says the interval holds for these terms only.
     */
    @Test
    void aGroupOfTwoTermsIsHeldFixedAndTheCaveatSaysSo() {
        List<Cell> cells = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int t = 0; t < 20; t++) {
            for (int j = 0; j < 4; j++) {
                // "her" and "him" sit 8 nats below "she" and "he"
                cells.add(new Cell("t" + t, "j" + j, "a", "she", 0.1 * rnd.nextGaussian()));
                cells.add(new Cell("t" + t, "j" + j, "a", "her", -8 + 0.1 * rnd.nextGaussian()));
                cells.add(new Cell("t" + t, "j" + j, "b", "he", 0.1 * rnd.nextGaussian()));
                cells.add(new Cell("t" + t, "j" + j, "b", "him", -8 + 0.1 * rnd.nextGaussian()));
            }
        }
        CrossedDesign d = CrossedDesign.of(cells, specs());
        assertEquals("targets × templates", d.describe(Set.of()));
        assertEquals("2 terms per group: too few to resample, holds for these terms only", d.caveat(Set.of()));
        int terms = d.indexOf("terms");
        CrossedBootstrap.Result r = new CrossedBootstrap(3, 400).run(d, 2, draw -> new double[] {
            lean(cells, draw), java.util.Arrays.stream(draw.counts(terms)).allMatch(c -> c == 1) ? 1 : 0
        });
        for (int b = 0; b < 400; b++) {
            assertEquals(1, r.replicates()[1][b], "every resample keeps all four terms once");
        }
        Interval ci = r.bca(0);
        assertTrue(ci.width() < 0.2, "no resample draws only 'her' against only 'he': " + ci);
        assertTrue(ci.contains(r.estimates()[0]), ci.toString());
        assertEquals("2 terms per group: too few to resample, holds for these terms only", ci.note());
    }

    @Test
    void twoTemplatesAreHeldFixedButThreeAreResampled() {
        CrossedDesign two = CrossedDesign.of(design(5, 2, 3, new SplittableRandom(4)), specs());
        assertEquals("targets × terms", two.describe(Set.of()));
        assertEquals("2 templates: too few to resample, holds for these templates only", two.caveat(Set.of()));
        CrossedDesign three = CrossedDesign.of(design(5, 3, 3, new SplittableRandom(4)), specs());
        assertEquals("targets × templates × terms", three.describe(Set.of()));
        assertEquals("", three.caveat(Set.of()));
        assertFalse(CrossedDesign.Factor.resampled(new int[] {0, 1}));
    }

    /** Mean score of side a minus that of side b under a draw. */
    private static double lean(List<Cell> cells, Draw draw) {
        double[] s = new double[4];
        for (int i = 0; i < cells.size(); i++) {
            int at = cells.get(i).side().equals("a") ? 0 : 2;
            s[at] += draw.weight(i) * cells.get(i).value();
            s[at + 1] += draw.weight(i);
        }
        return s[0] / s[1] - s[2] / s[3];
    }

    @Test
    void intervalsWithoutADescriptionStayEqualToTheOldTwoNumberForm() {
        assertEquals(new Interval(1, 2), new Interval(1, 2, null, null, null));
        assertEquals("a; b", new Interval(1, 2, "bca", "", "a").withNote("b").note());
    }

    static List<CrossedDesign.Spec<Cell>> specs() {
        return List.of(
                CrossedDesign.Spec.of("targets", Cell::target),
                CrossedDesign.Spec.of("templates", Cell::template),
                CrossedDesign.Spec.within("terms", Cell::term, Cell::side));
    }

    static List<Cell> design(int targets, int templates, int terms, SplittableRandom rnd) {
        List<Cell> out = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            for (int j = 0; j < templates; j++) {
                for (String side : List.of("a", "b")) {
                    for (int k = 0; k < terms; k++) {
                        out.add(new Cell("t" + t, "j" + j, side, side + k, rnd.nextGaussian()));
                    }
                }
            }
        }
        return out;
    }

    private static double mean(List<Cell> cells, Draw draw) {
        double s = 0;
        double w = 0;
        for (int i = 0; i < cells.size(); i++) {
            s += draw.weight(i) * cells.get(i).value();
            w += draw.weight(i);
        }
        return s / w;
    }

    private static double weightedMean(double[] x, Draw draw) {
        double s = 0;
        double w = 0;
        for (int i = 0; i < x.length; i++) {
            s += draw.weight(i) * x[i];
            w += draw.weight(i);
        }
        return s / w;
    }
}
