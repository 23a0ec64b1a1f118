package org.unmask.models.onnxgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The DynamicQuantizeMatMul layout: int8 B [k, n], one symmetric scale per output column, either source layout. */
class ColumnInt8WeightsTest {
    private static final int N = 70; // more than one tile of 64 columns, the last one partial
    private static final int K = 33;

    @Test
    void eachColumnIsWithinHalfItsScaleAndLaidOutAsKByN() {
        float[] w = new float[N * K]; // [n, k] as nn.Linear stores it
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * (1 + i % 5));
        }
        w[3 * K + 4] = 0; // a column with zeros and
        for (int i = 0; i < K; i++) {
            w[5 * K + i] = 0; // an all-zero column: scale 0, values 0, no NaN
        }
        NBitsWeights.Packed p = ColumnInt8Weights.quantize(FloatBuffer.wrap(w), matrix(false));
        float[] t = new float[K * N]; // the same matrix stored [k, n] (GPT-2's Conv1D)
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                t[k * N + n] = w[n * K + k];
            }
        }
        NBitsWeights.Packed pt = ColumnInt8Weights.quantize(FloatBuffer.wrap(t), matrix(true));
        for (int n = 0; n < N; n++) {
            float amax = 0;
            for (int k = 0; k < K; k++) {
                amax = Math.max(amax, Math.abs(w[n * K + k]));
            }
            float scale = p.scales().get(n);
            assertEquals(amax / 127, scale, 1e-7, "column " + n);
            for (int k = 0; k < K; k++) {
                byte q = p.blob().get(k * N + n);
                assertTrue(Math.abs(q * scale - w[n * K + k]) <= scale / 2 + 1e-6, "w[" + n + "][" + k + "]");
            }
        }
        assertEquals(0, p.scales().get(5));
        byte[] a = new byte[N * K];
        byte[] b = new byte[N * K];
        p.blob().get(0, a);
        pt.blob().get(0, b);
        assertArrayEquals(a, b, "both source layouts give the same bytes");
    }

    private static GraphExport.Quantized matrix(boolean transposed) {
        long[] shape = transposed ? new long[] {K, N} : new long[] {N, K};
        GraphExport.Weight w = new GraphExport.Weight("w", Path.of("x"), 0, 4L * N * K, shape);
        return new GraphExport.Quantized(w, transposed, GraphExport.Scheme.INT8_COLUMNS, 8, K, "w.i8c", "w.i8c.scales");
    }
}
