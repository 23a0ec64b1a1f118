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
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
        int keep = topK > 0 ? Math.min(topK, vocab) : vocab;
        double max = logits[order[0]] / temperature;
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(logits[order[i]] / temperature - max);
            sum += p[i];
        }
        if (topP < 1) {
            double cum = 0;
            int n = 0;
            while (n < keep) {
                cum += p[n++] / sum;
                if (cum >= topP) {
                    break;
                }
            }
            keep = n;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[keep - 1];
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
