package org.unmask.benchmarks.seat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.RunOptions;

class WeatTest {
    private static final float R = (float) Math.sqrt(0.5);
    private static final float[][] A = {{1, 0}};
    private static final float[][] B = {{0, 1}};
    // s(x1)=1, s(x2)=0, s(y1)=-1, s(y2)=0
    private static final float[][] X = {{1, 0}, {R, R}};
    private static final float[][] Y = {{0, 1}, {R, R}};

    @Test
    void effectSizeUsesTheSampleStandardDeviationOfAllTargets() {
        // (mean{1,0} - mean{-1,0}) / std{1,0,-1,0}, ddof 1 = 1 / sqrt(2/3)
        Weat.Result r = Weat.test(X, Y, A, B, 100_000, 0);
        assertEquals(1 / Math.sqrt(2.0 / 3.0), r.effectSize(), 1e-6);
    }

    @Test
    void exactPermutationCountsPartitionsAtLeastAsExtreme() {
        // of the C(4,2) = 6 partitions, only the observed one and its twin (the two zeros swapped) reach the
        // observed statistic
        Weat.Result r = Weat.test(X, Y, A, B, 100_000, 0);
        assertTrue(r.exact());
        assertEquals(2.0 / 6.0, r.pValue(), 1e-12);
    }

    @Test
    void monteCarloIsSeededAndCountsTheObservedPartition() {
        float[][] x = new float[12][];
        float[][] y = new float[12][];
        for (int i = 0; i < 12; i++) {
            double ax = 0.1 + 0.05 * i;
            x[i] = new float[] {(float) Math.cos(ax), (float) Math.sin(ax)};
            y[i] = new float[] {(float) Math.cos(ax + 0.4), (float) Math.sin(ax + 0.4)};
        }
        // C(24,12) = 2,704,156 > 1,000 -> Monte Carlo with 999 draws + the observed partition
        Weat.Result r1 = Weat.test(x, y, A, B, 1000, 7);
        Weat.Result r2 = Weat.test(x, y, A, B, 1000, 7);
        assertFalse(r1.exact());
        assertEquals(r1.pValue(), r2.pValue());
        assertTrue(r1.pValue() >= 1.0 / 1000);
        assertTrue(r1.effectSize() > 0);
    }

    @Test
    void effectSizeIntervalIsSeededAndCoversTheEstimate() {
        double[] sX = {0.30, 0.25, 0.41, 0.35, 0.28, 0.33};
        double[] sY = {0.10, 0.05, 0.12, 0.20, 0.02, 0.08};
        var a = Weat.effectSizeInterval(sX, sY, 3, 500);
        var b = Weat.effectSizeInterval(sX, sY, 3, 500);
        assertEquals(a, b);
        assertTrue(a.contains(Weat.effectSize(sX, sY)), a.toString());
    }

    @Test
    void defaultTestsAreMeadeEtAlsGenderAndRaceSets() throws Exception {
        var spec = BenchmarkData.bundled("seat").spec();
        assertEquals(13, SeatBenchmark.select(spec, RunOptions.defaults()).size());
        assertEquals(
                SeatBenchmark.GENDER,
                SeatBenchmark.select(spec, RunOptions.defaults().withBiasType("gender")));
        assertEquals(
                List.of("sent-weat3", "sent-weat10"),
                SeatBenchmark.select(spec, RunOptions.defaults().withVariant("sent-weat3,sent-weat10")));
        List<String> all = SeatBenchmark.select(spec, RunOptions.defaults().withVariant("all"));
        assertTrue(all.indexOf("weat2") < all.indexOf("weat10"), "natural sort as sent-bias");
    }

    @Test
    void readsAndDeduplicatesTestSets() throws Exception {
        SeatTest t = SeatTest.read(BenchmarkData.bundled("seat"), "sent-weat6");
        assertEquals("MaleNames", t.targ1().category());
        assertEquals(
                t.targ1().examples().size(), new java.util.HashSet<>(t.targ1().examples()).size());
    }
}
