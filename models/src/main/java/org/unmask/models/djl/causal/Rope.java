package org.unmask.models.djl.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.unmask.models.djl.causal.DecoderConfig.RopeScaling;

/**
 * Rotary position embedding as HF Llama applies it ({@code rotate_half}, not interleaved pairs):
 * {@code x·cos + rotate_half(x)·sin} with {@code inv_freq[i] = 1 / theta^(2i/d)} (scaled per
 * {@code rope_scaling}), the frequencies repeated over both halves. Computed in float32 as HF does, so
 * tables match to rounding.
 */
final class Rope {
    private Rope() {}

    /**
     * HF's inverse frequencies {@code 1 / theta^(2i/d)}, in float32 as torch computes them, then scaled as
     * {@code _compute_linear_scaling_rope_parameters} / {@code _compute_llama3_parameters} do.
     */
    static float[] inverseFrequencies(int dim, double theta, RopeScaling scaling) {
        int half = dim / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / dim;
            inv[i] = 1f / (float) Math.pow((float) theta, exponent);
        }
        if (scaling.type() == RopeScaling.Type.LINEAR) {
            for (int i = 0; i < half; i++) {
                inv[i] = (float) (inv[i] / scaling.factor());
            }
        } else if (scaling.type() == RopeScaling.Type.LLAMA3) {
            double lowWavelen = scaling.originalMaxPositions() / scaling.lowFreqFactor();
            double highWavelen = scaling.originalMaxPositions() / scaling.highFreqFactor();
            for (int i = 0; i < half; i++) {
                double wavelen = 2 * Math.PI / inv[i];
                double f = wavelen > lowWavelen ? inv[i] / scaling.factor() : inv[i];
                if (!(wavelen < highWavelen) && !(wavelen > lowWavelen)) {
                    double smooth = (scaling.originalMaxPositions() / wavelen - scaling.lowFreqFactor())
                            / (scaling.highFreqFactor() - scaling.lowFreqFactor());
                    f = (1 - smooth) * f / scaling.factor() + smooth * f;
                }
                inv[i] = (float) f;
            }
        }
        return inv;
    }

    /** cos and sin tables [T, d] for absolute positions {@code past .. past + length - 1} ({@link DecoderTables}). */
    static NDArray[] cosSin(NDManager m, int past, int length, float[] inv) {
        float[][] cs = DecoderTables.ropeCosSin(inv, past, length);
        Shape shape = new Shape(length, 2L * inv.length);
        return new NDArray[] {m.create(cs[0], shape), m.create(cs[1], shape)};
    }

    /** Rotates x [B, heads, T, d] by the tables from {@link #cosSin}. */
    static NDArray apply(NDArray x, NDArray[] cosSin) {
        long d = x.getShape().get(3);
        NDArray[] halves = x.split(new long[] {d / 2}, 3).toArray(new NDArray[0]);
        NDArray rotated = Ops.concatLast(halves[1].neg(), halves[0]);
        return x.mul(cosSin[0]).add(rotated.mul(cosSin[1]));
    }
}
