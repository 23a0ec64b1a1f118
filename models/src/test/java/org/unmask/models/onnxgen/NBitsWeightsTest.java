package org.unmask.models.onnxgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link NBitsWeights} writes ONNX Runtime's MatMulNBits layout: read back by that layout's definition (value =
 * (stored - 2^(bits-1)) * scale, blocks along the input axis, 4-bit values low nibble first), every weight is within
 * half its block's scale, the padding of the last block is the zero point, and a [k, n] source gives the same bytes
 * as its [n, k] transpose.
 */
class NBitsWeightsTest {
    @ParameterizedTest
    @CsvSource({"8, 32", "4, 32", "8, 16"})
    void everyWeightReadsBackWithinHalfItsBlocksScale(int bits, int block) {
        int n = 70;
        int k = 75; // not a multiple of the block: the last block is padded
        float[] w = new float[n * k];
        Random r = new Random(7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * (i % 11 == 0 ? 3 : 0.05));
        }
        for (int i = 0; i < k; i++) {
            w[5 * k + i] = 0; // an all-zero row: scale 0, every value the zero point
        }
        float[] t = new float[k * n];
        for (int o = 0; o < n; o++) {
            for (int i = 0; i < k; i++) {
                t[i * n + o] = w[o * k + i];
            }
        }
        NBitsWeights.Packed a = NBitsWeights.quantize(floats(w), spec(n, k, false, bits, block));
        NBitsWeights.Packed b = NBitsWeights.quantize(floats(t), spec(n, k, true, bits, block));
        assertEquals(a.blob(), b.blob(), "[k, n] source: same bytes as its transpose");
        assertEquals(a.scales(), b.scales());

        int blocks = (k + block - 1) / block;
        int zero = 1 << (bits - 1);
        assertEquals(n * blocks * block * bits / 8, a.blob().capacity());
        for (int o = 0; o < n; o++) {
            for (int blk = 0; blk < blocks; blk++) {
                float scale = a.scales().get(o * blocks + blk);
                for (int j = 0; j < block; j++) {
                    int i = blk * block + j;
                    int stored = stored(a.blob(), bits, ((o * blocks + blk) * block) + j);
                    if (i >= k) {
                        assertEquals(zero, stored, "padding is the zero point");
                        continue;
                    }
                    float back = (stored - zero) * scale;
                    assertTrue(
                            Math.abs(back - w[o * k + i]) <= scale / 2 + 1e-7f,
                            "w[" + o + "][" + i + "] " + w[o * k + i] + " read back as " + back);
                }
                if (o == 5) {
                    assertEquals(0f, scale, "an all-zero block");
                }
            }
        }
    }

    private static int stored(ByteBuffer blob, int bits, int index) {
        if (bits == 8) {
            return blob.get(index) & 0xff;
        }
        int b = blob.get(index / 2) & 0xff;
        return index % 2 == 0 ? b & 0x0f : b >>> 4;
    }

    private static GraphExport.Quantized spec(int n, int k, boolean transposed, int bits, int block) {
        long[] shape = transposed ? new long[] {k, n} : new long[] {n, k};
        GraphExport.Weight src = new GraphExport.Weight("w", Path.of("w.safetensors"), 0, 4L * n * k, shape);
        return new GraphExport.Quantized(src, transposed, bits, block, "w.q", "w.s");
    }

    private static FloatBuffer floats(float[] v) {
        FloatBuffer f = ByteBuffer.allocateDirect(v.length * 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        f.put(v);
        f.flip();
        return f;
    }
}
