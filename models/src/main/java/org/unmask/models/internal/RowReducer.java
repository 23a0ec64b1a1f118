package org.unmask.models.internal;

import java.util.ArrayList;
import java.util.List;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;

/**
 * Reduces one full log-softmax row to what a {@link Read} asks: top-k (ties broken by lower id, as
 * torch.topk on CPU does in practice) and the log-probabilities of given ids.
 */
public final class RowReducer {
    private RowReducer() {}

    /** Flat row index (batch row × padded length + position) of every read of a batch, in read order. */
    public static long[] rowIndices(List<LogProbQuery> batch, int paddedLength) {
        int reads = batch.stream().mapToInt(q -> q.reads().size()).sum();
        long[] rows = new long[reads];
        int r = 0;
        for (int b = 0; b < batch.size(); b++) {
            for (Read read : batch.get(b).reads()) {
                rows[r++] = (long) b * paddedLength + read.position();
            }
        }
        return rows;
    }

    /**
     * Answers every read of a batch from the log-softmax rows of {@link #rowIndices}, laid out one after
     * another in {@code flat}.
     */
    public static List<List<LogProbs>> answers(List<LogProbQuery> batch, float[] flat, int vocab) {
        List<List<LogProbs>> out = new ArrayList<>(batch.size());
        int r = 0;
        for (LogProbQuery q : batch) {
            List<LogProbs> answers = new ArrayList<>(q.reads().size());
            for (Read read : q.reads()) {
                answers.add(reduce(flat, r++ * vocab, vocab, read));
            }
            out.add(answers);
        }
        return out;
    }

    /**
     * @param row the log-probabilities, laid out contiguously in {@code flat} from {@code offset}
     * @param vocab the row length
     */
    public static LogProbs reduce(float[] flat, int offset, int vocab, Read read) {
        int k = Math.min(read.topK(), vocab);
        int[] topIds = new int[k];
        float[] topVals = new float[k];
        int filled = 0;
        // insertion into a small sorted array: k is tiny (≤ 100) next to the vocabulary
        for (int i = 0; i < vocab && k > 0; i++) {
            float v = flat[offset + i];
            if (filled < k) {
                int j = filled++;
                while (j > 0 && topVals[j - 1] < v) {
                    topVals[j] = topVals[j - 1];
                    topIds[j] = topIds[j - 1];
                    j--;
                }
                topVals[j] = v;
                topIds[j] = i;
            } else if (v > topVals[k - 1]) {
                int j = k - 1;
                while (j > 0 && topVals[j - 1] < v) {
                    topVals[j] = topVals[j - 1];
                    topIds[j] = topIds[j - 1];
                    j--;
                }
                topVals[j] = v;
                topIds[j] = i;
            }
        }
        int[] wanted = read.tokenIds();
        float[] lp = new float[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            int id = wanted[i];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocab);
            }
            lp[i] = flat[offset + id];
        }
        return new LogProbs(topIds, topVals, lp);
    }
}
