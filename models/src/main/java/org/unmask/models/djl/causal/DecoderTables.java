package org.unmask.models.djl.causal;

/**
 * The position-dependent tables a decoder step needs besides the weights, as plain float arrays computed exactly
 * as the libtorch forwards compute them, so another engine (the ONNX Runtime graph) feeds identical numbers.
 */
public final class DecoderTables {
    private DecoderTables() {}

    /** HF's RoPE inverse frequencies for this config (scaled per {@code rope_scaling}), float32 as torch. */
    public static float[] ropeInverseFrequencies(DecoderConfig cfg) {
        return Rope.inverseFrequencies(cfg.headDim(), cfg.ropeTheta(), cfg.ropeScaling());
    }

    /**
     * RoPE cos and sin tables, each [length, headDim] row-major, for absolute positions {@code past ..
     * past + length - 1}: the frequencies repeated over both halves (HF {@code rotate_half} layout).
     */
    public static float[][] ropeCosSin(float[] inv, int past, int length) {
        int half = inv.length;
        int dim = 2 * half;
        float[] cos = new float[length * dim];
        float[] sin = new float[length * dim];
        for (int t = 0; t < length; t++) {
            float pos = past + t;
            for (int i = 0; i < half; i++) {
                float f = pos * inv[i];
                float c = (float) Math.cos(f);
                float s = (float) Math.sin(f);
                cos[t * dim + i] = c;
                cos[t * dim + i + half] = c;
                sin[t * dim + i] = s;
                sin[t * dim + i + half] = s;
            }
        }
        return new float[][] {cos, sin};
    }

    /**
     * The additive attention bias [heads, length, past + length] (heads = 1 when no ALiBi): the causal mask
     * with the config's sliding window, plus BLOOM's ALiBi {@code slope_h * key_position} per head.
     */
    public static float[] attentionBias(DecoderConfig cfg, int past, int length) {
        int keys = past + length;
        boolean alibi = cfg.family() == DecoderConfig.Family.BLOOM;
        float[] slopes = alibi ? BloomForward.alibiSlopes(cfg.heads()) : new float[] {0f};
        int heads = slopes.length;
        int window = cfg.slidingWindow();
        float[] bias = new float[heads * length * keys];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < length; i++) {
                int p = past + i;
                int row = (h * length + i) * keys;
                for (int j = 0; j < keys; j++) {
                    boolean masked = j > p || (window > 0 && j <= p - window);
                    // as BloomForward: alibi(...).add(causalBias(...)), in that order of float additions
                    float a = alibi ? slopes[h] * j : 0f;
                    bias[row + j] = alibi ? a + (masked ? Ops.MASKED : 0f) : (masked ? Ops.MASKED : 0f);
                }
            }
        }
        return bias;
    }

    /** Heads the bias of {@link #attentionBias} has: the query heads with ALiBi, else 1. */
    public static int biasHeads(DecoderConfig cfg) {
        return cfg.family() == DecoderConfig.Family.BLOOM ? cfg.heads() : 1;
    }
}
