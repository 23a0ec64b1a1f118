package org.unmask.models.onnxgen;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Per-column symmetric int8 weight quantisation into the layout of ONNX Runtime's {@code DynamicQuantizeMatMul}
 * ({@link GraphExport.Scheme#INT8_COLUMNS}): B is int8 [k, n], one scale per output column n, no zero point. A
 * column's scale is its largest |w| over 127 and each weight is stored as {@code rint(w / scale)}, so a dequantised
 * weight is off by at most half its column's scale. Deterministic: the same floats give the same bytes everywhere.
 */
final class ColumnInt8Weights {
    /** Output features quantised together (one bulk write per input feature into the [k, n] blob). */
    private static final int TILE = 64;

    private static final int QMAX = 127;

    private ColumnInt8Weights() {}

    /**
     * Quantises {@code q.source()} read from {@code src} (its float32 values, [n, k] or, when transposed, [k, n]).
     */
    static NBitsWeights.Packed quantize(FloatBuffer src, GraphExport.Quantized q) {
        NBitsWeights.Packed p = NBitsWeights.Packed.allocate(q);
        quantize(src, q, p.blob(), p.scales());
        return p;
    }

    /** As {@link #quantize(FloatBuffer, GraphExport.Quantized)}, into {@code blob} and {@code scales} from 0. */
    static void quantize(FloatBuffer src, GraphExport.Quantized q, ByteBuffer blob, FloatBuffer scales) {
        if (q.scheme() != GraphExport.Scheme.INT8_COLUMNS) {
            throw new IllegalArgumentException("not an int8 per-column matrix: " + q.scheme());
        }
        int n = Math.toIntExact(q.n());
        int k = Math.toIntExact(q.k());
        IntStream.range(0, (n + TILE - 1) / TILE).parallel().forEach(tile -> {
            int n0 = tile * TILE;
            int cols = Math.min(TILE, n - n0);
            float[][] w = NBitsWeights.outputFeatures(src, q.transposed(), n, k, n0, cols);
            byte[][] packed = new byte[k][cols];
            for (int c = 0; c < cols; c++) {
                float amax = 0;
                for (int i = 0; i < k; i++) {
                    amax = Math.max(amax, Math.abs(w[c][i]));
                }
                float scale = amax / QMAX;
                if (scale > 0) {
                    for (int i = 0; i < k; i++) {
                        int v = (int) Math.rint(w[c][i] / scale);
                        packed[i][c] = (byte) Math.max(-QMAX, Math.min(QMAX, v));
                    }
                }
                scales.put(n0 + c, scale);
            }
            for (int i = 0; i < k; i++) {
                blob.put(i * n + n0, packed[i]);
            }
        });
    }
}
