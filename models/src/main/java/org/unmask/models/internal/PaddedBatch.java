package org.unmask.models.internal;

import java.util.List;

/**
 * Inputs of different lengths padded to the longest, row-major: the dynamic padding both backends
 * use (no bucket is padded past its own longest input).
 *
 * @param ids [batch * length] token ids, padding filled with the pad id
 * @param lengths real tokens per row
 * @param length the padded length
 */
public record PaddedBatch(long[] ids, int[] lengths, int length) {
    public static PaddedBatch of(List<int[]> inputs, int padId) {
        int length = 0;
        for (int[] in : inputs) {
            length = Math.max(length, in.length);
        }
        long[] ids = new long[inputs.size() * length];
        int[] lengths = new int[inputs.size()];
        for (int b = 0; b < inputs.size(); b++) {
            int[] in = inputs.get(b);
            lengths[b] = in.length;
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = t < in.length ? in[t] : padId;
            }
        }
        return new PaddedBatch(ids, lengths, length);
    }

    public int batch() {
        return lengths.length;
    }

    /** Additive attention bias [batch * length]: 0 for real keys, a large negative number for padding. */
    public float[] attentionBias() {
        float[] b = new float[ids.length];
        for (int r = 0; r < lengths.length; r++) {
            for (int t = lengths[r]; t < length; t++) {
                b[r * length + t] = -1e9f;
            }
        }
        return b;
    }
}
