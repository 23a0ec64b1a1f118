package org.unmask.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unmask.core.stats.PermutationTest.Alternative;
import org.unmask.core.stats.PermutationTest.Result;

class PermutationTestTest {
    private final PermutationTest test = new PermutationTest(7);

    @Test
    void exactTwoSampleTestEnumeratesAllPartitions() {
        // pooled {1,2,3,4}, |x| = 2: the 6 mean differences are -2, -1, 0, 0, 1, 2; observed -2
        double[] x = {1, 2};
        double[] y = {3, 4};
        Result less = test.twoSample(x, y, Alternative.LESS);
        assertTrue(less.exact());
        assertEquals(6, less.permutations());
        assertEquals(-2.0, less.observed(), 1e-12);
        assertEquals(1.0 / 6, less.p(), 1e-12);
        assertEquals(1.0, test.twoSample(x, y, Alternative.GREATER).p(), 1e-12);
        assertEquals(2.0 / 6, test.twoSample(x, y, Alternative.TWO_SIDED).p(), 1e-12);
    }

    @Test
    void tiedRearrangementsCountAsExtreme() {
        // pooled {1,1,2,2}, x = {1,2}: differences -1, 0, 0, 0, 0, 1; observed 0 -> every partition >= 0 but one
        Result r = test.twoSample(new double[] {1, 2}, new double[] {1, 2}, Alternative.GREATER);
        assertEquals(5.0 / 6, r.p(), 1e-12);
    }

    @Test
    void exactSignFlipTestEnumeratesAllSignPatterns() {
        // d = {1,2,3}: the 8 sums are 6, 4, 2, 0, 0, -2, -4, -6; observed 6
        Result r = test.signFlip(new double[] {1, 2, 3}, Alternative.GREATER);
        assertTrue(r.exact());
        assertEquals(8, r.permutations());
        assertEquals(1.0 / 8, r.p(), 1e-12);
        assertEquals(
                2.0 / 8,
                test.signFlip(new double[] {1, 2, 3}, Alternative.TWO_SIDED).p(),
                1e-12);
        assertEquals(
                1.0, test.signFlip(new double[] {1, 2, 3}, Alternative.LESS).p(), 1e-12);
    }

    @Test
    void monteCarloCountsTheObservedArrangementOnce() {
        double[] x = new double[20];
        double[] y = new double[20];
        for (int i = 0; i < 20; i++) {
            x[i] = 10 + i * 0.01;
            y[i] = i * 0.01;
        }
        PermutationTest small = new PermutationTest(3, 1000, 999);
        Result r = small.twoSample(x, y, Alternative.GREATER);
        assertFalse(r.exact());
        assertEquals(999, r.permutations());
        // C(40, 20) partitions: no random one reaches the observed split, so p = (0 + 1) / (999 + 1)
        assertEquals(1.0 / 1000, r.p(), 1e-12);
    }

    @Test
    void monteCarloIsReproducibleForASeed() {
        double[] x = {0.3, 1.2, -0.4, 0.8, 0.1, 0.5, 0.9, -0.2, 0.4, 0.6, 0.0, 0.7};
        double[] y = {0.2, -0.1, 0.4, -0.6, 0.3, 0.0, -0.3, 0.1, 0.5, -0.2, 0.2, -0.4};
        PermutationTest a = new PermutationTest(11, 100, 2000);
        PermutationTest b = new PermutationTest(11, 100, 2000);
        double pa = a.twoSample(x, y, Alternative.TWO_SIDED).p();
        assertEquals(pa, b.twoSample(x, y, Alternative.TWO_SIDED).p(), 0.0);
        // and agrees with the exact answer (C(24,12) = 2,704,156 partitions) to Monte Carlo precision
        double exact = new PermutationTest(11, 3_000_000, 1)
                .twoSample(x, y, Alternative.TWO_SIDED)
                .p();
        assertEquals(exact, pa, 0.02);
    }

    @Test
    void combinationsAreEnumeratedInOrder() {
        int[] c = {0, 1};
        int count = 1;
        while (PermutationTest.nextCombination(c, 4)) {
            count++;
        }
        assertEquals(6, count);
        assertEquals(252.0, PermutationTest.binomial(10, 5), 0.0);
    }
}
