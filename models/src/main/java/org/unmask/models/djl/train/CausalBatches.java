package org.unmask.models.djl.train;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Next-token batches with the semantics of HF's causal LM loss ({@code labels = input_ids}, shifted inside the
 * model, padding labelled -100): rows are right-padded with {@code padId}, and position {@code t} of a row is
 * labelled with the row's token {@code t + 1}; a row's last real position and every padding position are
 * unlabelled, so padding never enters the loss. Labels are stored at the predicting position so the loss reads the
 * hidden state of exactly the labelled rows, as for masked-LM.
 */
public final class CausalBatches implements BatchMaker {
    private final int padId;

    /** @param padId the id written into padding (never attended by real tokens under the causal mask) */
    public CausalBatches(int padId) {
        this.padId = padId;
    }

    @Override
    public MaskedBatch make(List<int[]> rows, SplittableRandom rnd) {
        int len = 0;
        for (int[] r : rows) {
            len = Math.max(len, r.length);
        }
        int bs = rows.size();
        long[] ids = new long[bs * len];
        int[] labels = new int[bs * len];
        int[] lengths = new int[bs];
        Arrays.fill(ids, padId);
        Arrays.fill(labels, MaskedBatch.IGNORE);
        for (int b = 0; b < bs; b++) {
            int[] r = rows.get(b);
            lengths[b] = r.length;
            for (int t = 0; t < r.length; t++) {
                ids[b * len + t] = r[t];
                if (t + 1 < r.length) {
                    labels[b * len + t] = r[t + 1];
                }
            }
        }
        return new MaskedBatch(ids, lengths, labels, bs, len);
    }
}
