package org.unmask.core.model;

import java.util.Arrays;
import java.util.List;

/**
 * One forward pass a backend must run: token ids in, a few reads of the output distribution out.
 *
 * <p>For a masked LM a read at position {@code p} is the distribution over the vocabulary at
 * {@code p}; for a causal LM it is the distribution of the token that follows position {@code p}.
 * Reads ask only for what a probe needs (top-k and given ids) so the backend reduces on its side
 * and no full vocabulary row crosses into Java unless asked for.
 *
 * @param ids input ids, special tokens included
 * @param reads what to read from the output
 */
public record LogProbQuery(int[] ids, List<Read> reads) {
    public LogProbQuery {
        reads = List.copyOf(reads);
        for (Read r : reads) {
            if (r.position() < 0 || r.position() >= ids.length) {
                throw new IllegalArgumentException("read position " + r.position() + " outside 0.." + (ids.length - 1));
            }
        }
    }

    /**
     * One read of the log-softmax distribution at a position.
     *
     * @param position index into {@code ids}
     * @param topK how many of the most likely tokens to return (0 for none)
     * @param tokenIds ids whose log-probability is wanted
     */
    public record Read(int position, int topK, int[] tokenIds) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Read r
                    && r.position == position
                    && r.topK == topK
                    && Arrays.equals(r.tokenIds, tokenIds);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * position + topK) + Arrays.hashCode(tokenIds);
        }

        @Override
        public String toString() {
            return "Read[" + position + ", top" + topK + ", " + Arrays.toString(tokenIds) + "]";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogProbQuery q && Arrays.equals(q.ids, ids) && q.reads.equals(reads);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + reads.hashCode();
    }

    @Override
    public String toString() {
        return "LogProbQuery[" + Arrays.toString(ids) + ", " + reads + "]";
    }
}
