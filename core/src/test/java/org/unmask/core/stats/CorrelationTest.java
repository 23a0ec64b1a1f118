package org.unmask.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CorrelationTest {
    private static final double[] X = {1, 2, 3, 4, 5};
    private static final double[] Y = {2, 4, 5, 4, 5};

    @Test
    void pearsonMatchesHandComputation() {
        // Sxy = 6, Sxx = 10, Syy = 6 -> r = 6 / sqrt(60)
        assertEquals(6 / Math.sqrt(60), Correlation.pearson(X, Y), 1e-12);
    }

    @Test
    void tiesGetTheirAverageRank() {
        assertArrayEquals(new double[] {1, 2.5, 4.5, 2.5, 4.5}, Correlation.averageRanks(Y), 1e-12);
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Correlation.averageRanks(new double[] {10, 20, 20, 30}));
    }

    @Test
    void spearmanIsPearsonOfAverageRanks() {
        // ranks of Y = [1, 2.5, 4.5, 2.5, 4.5]: Sxy = 7, Syy = 9 -> rho = 7 / sqrt(90) (scipy: 0.7378647873726218)
        assertEquals(7 / Math.sqrt(90), Correlation.spearman(X, Y), 1e-12);
    }

    @Test
    void spearmanIsOneForAnyMonotoneRelation() {
        assertEquals(1.0, Correlation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 8, 27, 1000}), 1e-12);
    }

    @Test
    void constantInputGivesUndefinedCorrelation() {
        assertTrue(Double.isNaN(Correlation.pearson(X, new double[] {3, 3, 3, 3, 3})));
        assertFalse(Correlation.pearsonEstimate(X, new double[] {3, 3, 3, 3, 3})
                .ci95()
                .isDefined());
    }

    @Test
    void fisherIntervalOfPearson() {
        // r = 0.5, n = 28: atanh(0.5) = 0.549306, se = 1/5 -> tanh(0.549306 -+ 0.391993)
        Interval ci = Correlation.fisherInterval(0.5, 28, 1.0);
        assertEquals(0.15602836252908606, ci.lower(), 1e-12);
        assertEquals(0.7358184794439376, ci.upper(), 1e-12);
    }

    @Test
    void spearmanIntervalUsesFiellerVariance() {
        Interval ci = Correlation.fisherInterval(0.5, 28, 1.06);
        assertEquals(0.1447020214446486, ci.lower(), 1e-12);
        assertEquals(0.7410874615592804, ci.upper(), 1e-12);
    }

    @Test
    void intervalNeedsFourPairs() {
        assertFalse(Correlation.pearsonEstimate(new double[] {1, 2, 3}, new double[] {1, 3, 2})
                .ci95()
                .isDefined());
    }

    @Test
    void unpairedInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(X, new double[] {1}));
    }
}
