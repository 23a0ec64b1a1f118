package org.unmask.models.onnxgen;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Block-wise symmetric weight quantisation into ONNX Runtime's {@code MatMulNBits} layout: each output feature's
 * input axis is cut into blocks of {@code blockSize}; a block's scale is its largest |w| over {@code 2^(bits-1) - 1}
 * and each weight is stored as {@code rint(w / scale) + 2^(bits-1)} (the operator's default zero point, so no zero
 * points are stored), 4-bit values two to a byte, low nibble first. Dequantised, a weight is off by at most half its
 * block's scale. Deterministic: the same floats give the same bytes on every machine.
 */
final class NBitsWeights {
    /** Output features quantised together (one bulk read per input feature when the source is [k, n]). */
    private static final int TILE = 64;

    private NBitsWeights() {}

    /** The quantised matrix: blob (uint8, direct) and scales (float, direct, native order). */
    record Packed(ByteBuffer blob, FloatBuffer scales) {
        /** Empty direct buffers sized for {@code q}'s blob and scales. */
        static Packed allocate(GraphExport.Quantized q) {
            return new Packed(
                    ByteBuffer.allocateDirect(Math.toIntExact(q.blobBytes())),
                    ByteBuffer.allocateDirect(Math.toIntExact(q.scalesBytes()))
                            .order(ByteOrder.nativeOrder())
                            .asFloatBuffer());
        }
    }

    /**
     * Quantises {@code q.source()} read from {@code src} (its float32 values, [n, k] or, when transposed, [k, n]).
     */
    static Packed quantize(FloatBuffer src, GraphExport.Quantized q) {
        Packed p = Packed.allocate(q);
        quantize(src, q, p.blob(), p.scales());
        return p;
    }

    /**
     * As {@link #quantize(FloatBuffer, GraphExport.Quantized)}, writing into {@code blob} ({@link
     * GraphExport.Quantized#blobBytes} bytes) and {@code scales} at absolute positions from 0 (e.g. maps of {@link
     * QuantizedFile}).
     */
    static void quantize(FloatBuffer src, GraphExport.Quantized q, ByteBuffer blob, FloatBuffer scales) {
        int n = Math.toIntExact(q.n());
        int k = Math.toIntExact(q.k());
        int blocks = Math.toIntExact(q.blocks());
        int block = q.blockSize();
        int bits = q.bits();
        if (bits != 4 && bits != 8) {
            throw new IllegalArgumentException("MatMulNBits bits must be 4 or 8, not " + bits);
        }
        int blobBytes = block * bits / 8;
        int qmax = (1 << (bits - 1)) - 1;
        int zero = 1 << (bits - 1);
        IntStream.range(0, (n + TILE - 1) / TILE).parallel().forEach(tile -> {
            int n0 = tile * TILE;
            int rows = Math.min(TILE, n - n0);
            float[][] w = outputFeatures(src, q.transposed(), n, k, n0, rows);
            byte[] packed = new byte[blobBytes];
            int[] values = new int[block];
            for (int r = 0; r < rows; r++) {
                for (int b = 0; b < blocks; b++) {
                    int from = b * block;
                    int to = Math.min(k, from + block);
                    float amax = 0;
                    for (int i = from; i < to; i++) {
                        amax = Math.max(amax, Math.abs(w[r][i]));
                    }
                    float scale = amax / qmax;
                    for (int i = 0; i < block; i++) {
                        int v = 0;
                        if (from + i < to && scale > 0) {
                            v = (int) Math.rint(w[r][from + i] / scale);
                            v = Math.max(-qmax, Math.min(qmax, v));
                        }
                        values[i] = v + zero;
                    }
                    if (bits == 8) {
                        for (int i = 0; i < block; i++) {
                            packed[i] = (byte) values[i];
                        }
                    } else {
                        for (int i = 0; i < block / 2; i++) {
                            packed[i] = (byte) (values[2 * i] | (values[2 * i + 1] << 4));
                        }
                    }
                    int at = (n0 + r) * blocks + b;
                    blob.put(at * blobBytes, packed);
                    scales.put(at, scale);
                }
            }
        });
    }

    /**
     * Output features n0 .. n0 + rows of a float32 matrix stored [n, k] or, when {@code transposed}, [k, n], each as
     * its k input weights (one bulk read per input feature in the transposed case). Shared by both quantisers.
     */
    static float[][] outputFeatures(FloatBuffer src, boolean transposed, int n, int k, int n0, int rows) {
        float[][] w = new float[rows][k];
        if (!transposed) {
            for (int r = 0; r < rows; r++) {
                src.get((n0 + r) * k, w[r]);
            }
            return w;
        }
        float[] line = new float[rows];
        for (int i = 0; i < k; i++) {
            src.get(i * n + n0, line);
            for (int r = 0; r < rows; r++) {
                w[r][i] = line[r];
            }
        }
        return w;
    }
}
