package org.unmask.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EffectSizeTest {
    @Test
    void cohensDOfEqualSizedGroups() {
        // means 2 and 5, both variances 1 -> pooled sd 1
        assertEquals(-3.0, EffectSize.cohensD(new double[] {1, 2, 3}, new double[] {4, 5, 6}), 1e-12);
    }

    @Test
    void cohensDPoolsDdofOneVariancesOfUnequalGroups() {
        // x: mean 2, var 2; y: mean 4, var 4; pooled var = (1*2 + 2*4) / 3 = 10/3
        assertEquals(-2 / Math.sqrt(10.0 / 3), EffectSize.cohensD(new double[] {1, 3}, new double[] {2, 4, 6}), 1e-12);
    }

    @Test
    void cohensDIsAntisymmetric() {
        double[] a = {0.1, 0.7, 0.3};
        double[] b = {0.5, 0.9, 1.4, 0.2};
        assertEquals(-EffectSize.cohensD(a, b), EffectSize.cohensD(b, a), 1e-12);
    }

    @Test
    void cohensDIsUndefinedWithoutSpread() {
        assertTrue(Double.isNaN(EffectSize.cohensD(new double[] {1, 1}, new double[] {1, 1})));
        assertTrue(Double.isNaN(EffectSize.cohensD(new double[] {}, new double[] {1, 2})));
    }

    @Test
    void weatDDividesByStdOfTheUnion() {
        // union {1,2,3,4,5,6}: sd = sqrt(3.5)
        assertEquals(-3 / Math.sqrt(3.5), EffectSize.weatD(new double[] {1, 2, 3}, new double[] {4, 5, 6}), 1e-12);
    }

    @Test
    void momentsUseDdofOne() {
        assertEquals(2.5, Moments.mean(new double[] {1, 2, 3, 4}), 1e-12);
        assertEquals(5.0 / 3, Moments.variance(new double[] {1, 2, 3, 4}), 1e-12);
        assertTrue(Double.isNaN(Moments.variance(new double[] {1})));
    }
}
