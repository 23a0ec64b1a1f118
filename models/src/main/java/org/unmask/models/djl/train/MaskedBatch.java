package org.unmask.models.djl.train;

/**
 * One padded training batch with its labels: after MLM masking ({@link MlmMasking}) or with next-token labels
 * ({@link CausalBatches}).
 *
 * @param inputIds row-major [batchSize, length] ids fed to the model (masked, padded)
 * @param lengths real tokens per row (the rest is padding)
 * @param labels row-major [batchSize, length]: the target id at labelled positions (the original id of a masked
 *     token, or the next token), -100 elsewhere (HF convention)
 * @param batchSize rows
 * @param length padded length
 */
public record MaskedBatch(long[] inputIds, int[] lengths, int[] labels, int batchSize, int length) {
    public static final int IGNORE = -100;

    /** Flat row indices ({@code row * length + position}) of the labelled positions. */
    public long[] labelledRows() {
        int n = labelledCount();
        long[] out = new long[n];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != IGNORE) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** The original ids at the labelled positions, aligned with {@link #labelledRows()}. */
    public long[] labelledTargets() {
        long[] out = new long[labelledCount()];
        int k = 0;
        for (int label : labels) {
            if (label != IGNORE) {
                out[k++] = label;
            }
        }
        return out;
    }

    public int labelledCount() {
        int n = 0;
        for (int label : labels) {
            if (label != IGNORE) {
                n++;
            }
        }
        return n;
    }

    /** Real (non-pad) tokens in the batch. */
    public long realTokens() {
        long n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }
}
