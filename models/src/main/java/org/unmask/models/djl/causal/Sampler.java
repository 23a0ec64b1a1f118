package org.unmask.models.djl.causal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from a logits row, in the order Hugging Face's sampling warpers apply:
 * temperature, then top-k, then top-p (the smallest set of most likely tokens whose probability
 * reaches p). Temperature 0 is greedy (argmax, lowest id on ties, as torch.argmax). The random
 * stream is a {@link SplittableRandom} seeded per request, so equal seeds give equal samples; it is
 * not torch's generator, so samples are not the ones transformers would draw for the same seed.
 */
final class Sampler {
    private final double temperature;
    private final int topK;
    private final double topP;
    private final SplittableRandom random;

    Sampler(double temperature, int topK, double topP, long seed) {
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = new SplittableRandom(seed);
    }

    static Sampler greedy() {
        return new Sampler(0, 0, 1, 0);
    }

    int next(float[] logits) {
        if (temperature == 0) {
            return argmax(logits);
        }
        int vocab = logits.length;
        double max = logits[argmax(logits)];
        double[] w = new double[vocab];
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            w[i] = Math.exp((logits[i] - max) / temperature);
            total += w[i];
        }
        int k = topK > 0 ? Math.min(topK, vocab) : vocab;
        if (k == vocab && topP >= 1) {
            return draw(w, null, vocab, total);
        }
        // Only the most likely tokens can be in the top-k set or the nucleus: sort those above a threshold
        // (weights are relative to the top token's 1), lowering it until the sorted ones decide both.
        for (double t = 1e-4; ; t = t > 1e-300 ? t * 1e-4 : 0) {
            Integer[] cand = above(w, t);
            if (k < vocab && cand.length < k && t > 0) {
                continue;
            }
            int m = Math.min(k, cand.length);
            double norm = total;
            if (k < vocab) { // HF: top-p renormalises over the top-k set
                norm = 0;
                for (int i = 0; i < m; i++) {
                    norm += w[cand[i]];
                }
            }
            double cum = 0;
            int n = 0;
            while (n < m) {
                cum += w[cand[n++]] / norm;
                if (cum >= topP) {
                    break;
                }
            }
            if (cum < topP && n == m && m < k && t > 0) {
                continue;
            }
            double kept = 0;
            for (int i = 0; i < n; i++) {
                kept += w[cand[i]];
            }
            return draw(w, cand, n, kept);
        }
    }

    /** Ids whose weight is at least {@code t}, most likely first, ties by lower id. */
    private static Integer[] above(double[] w, double t) {
        int count = 0;
        for (double x : w) {
            count += x >= t ? 1 : 0;
        }
        Integer[] ids = new Integer[count];
        int j = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] >= t) {
                ids[j++] = i;
            }
        }
        Arrays.sort(ids, (a, b) -> w[a] != w[b] ? Double.compare(w[b], w[a]) : a - b);
        return ids;
    }

    /** Draws one of the first {@code n} ids of {@code order} (or of the vocabulary in id order when null). */
    private int draw(double[] w, Integer[] order, int n, double sum) {
        double u = random.nextDouble() * sum;
        for (int i = 0; i < n; i++) {
            int id = order == null ? i : order[i];
            u -= w[id];
            if (u < 0) {
                return id;
            }
        }
        return order == null ? n - 1 : order[n - 1];
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
