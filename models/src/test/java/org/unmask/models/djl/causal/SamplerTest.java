package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Temperature, top-k and top-p as Hugging Face's warpers define them, checked by frequencies. */
class SamplerTest {
    /** Probabilities 0.5, 0.3, 0.15, 0.05. */
    private static final float[] LOGITS = {
        (float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)
    };

    private static final int DRAWS = 20_000;

    @Test
    void plainSamplingFollowsTheSoftmax() {
        double[] f = frequencies(new Sampler(1, 0, 1, 1));
        assertArrayClose(new double[] {0.5, 0.3, 0.15, 0.05}, f, 0.015);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // 0.5 < 0.8 <= 0.5 + 0.3: the nucleus is {0, 1}, renormalised to 5:3
        double[] f = frequencies(new Sampler(1, 0, 0.8, 2));
        assertArrayClose(new double[] {0.625, 0.375, 0, 0}, f, 0.015);
    }

    @Test
    void topKRenormalisesOverTheKMostLikelyAndTopPActsWithinThem() {
        double[] f = frequencies(new Sampler(1, 2, 1, 3));
        assertArrayClose(new double[] {0.625, 0.375, 0, 0}, f, 0.015);
        // within top-3 (0.5, 0.3, 0.15 of 0.95), p = 0.6 needs 0.526 + 0.316: {0, 1}
        double[] g = frequencies(new Sampler(1, 3, 0.6, 4));
        assertArrayClose(new double[] {0.625, 0.375, 0, 0}, g, 0.015);
    }

    @Test
    void temperatureSharpensAndFlattens() {
        double[] cold = frequencies(new Sampler(0.25, 0, 1, 5));
        assertTrue(cold[0] > 0.85, Arrays.toString(cold)); // 0.5^4 / sum(p^4) = 0.87
        double[] hot = frequencies(new Sampler(100, 0, 1, 6));
        for (double x : hot) {
            assertEquals(0.25, x, 0.02);
        }
    }

    @Test
    void greedyTakesTheLowestIdOnTies() {
        assertEquals(1, new Sampler(0, 0, 1, 0).next(new float[] {0f, 2f, 2f, 1f}));
    }

    @Test
    void nucleusReachingIntoTheLongTailIsStillExact() {
        // token 7 has weight 1, 4,999 others exp(-10) = 4.5e-5 each (below the first sorting threshold):
        // p = 0.95 needs about 3,650 tail tokens, the lowest ids among the equally likely ones
        float[] logits = new float[5_000];
        Arrays.fill(logits, -10f);
        logits[7] = 0f;
        double tailWeight = 0.95 * (1 + 4_999 * Math.exp(-10)) - 1;
        int tailSize = (int) Math.ceil(tailWeight / Math.exp(-10));
        Sampler s = new Sampler(1, 0, 0.95, 9);
        int tail = 0;
        int maxId = 0;
        for (int i = 0; i < 1_000; i++) {
            int id = s.next(logits);
            if (id != 7) {
                tail++;
                maxId = Math.max(maxId, id);
            }
        }
        assertEquals(tailWeight / (1 + tailWeight), tail / 1000.0, 0.04);
        assertTrue(maxId <= tailSize + 1, "drew id " + maxId + " outside the nucleus of " + tailSize + " tail ids");
    }

    @Test
    void topKDrawsTheSameIdsAsWeighingTheWholeVocabulary() {
        // the fast top-k path must not change one seeded sample: same ids, same random stream, over flat rows,
        // peaked rows, exact ties across the k-th place, huge temperatures (weights collapse: the fallback), rows
        // of -inf and rows read in place from a batch
        SplittableRandom r = new SplittableRandom(17);
        int vocab = 1_000;
        for (int trial = 0; trial < 400; trial++) {
            float[] batch = new float[3 * vocab];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = switch (trial % 5) {
                    case 0 -> (float) r.nextGaussian() * 0.02f; // nearly uniform, as random weights give
                    case 1 -> (float) r.nextGaussian() * 8f;
                    case 2 -> r.nextInt(6); // many exact ties, also at the k-th place
                    case 3 -> r.nextInt(10) == 0 ? Float.NEGATIVE_INFINITY : (float) r.nextGaussian();
                    default -> (float) r.nextGaussian() * 1e-6f + 3f;
                };
            }
            double t = new double[] {1, 0.7, 1e12, 1.3}[trial % 4];
            int k = new int[] {1, 5, 50, 999}[trial % 4 == 3 ? 3 : trial % 3];
            double p = trial % 2 == 0 ? 0.95 : 1;
            Sampler fast = new Sampler(t, k, p, trial);
            Sampler full = new Sampler(t, k, p, trial);
            for (int row = 0; row < 3; row++) {
                for (int draw = 0; draw < 3; draw++) {
                    float[] one = Arrays.copyOfRange(batch, row * vocab, (row + 1) * vocab);
                    assertEquals(
                            full.weighingAll(one),
                            fast.next(batch, row * vocab, vocab),
                            "trial " + trial + " row " + row + " draw " + draw + " (T " + t + ", k " + k + ")");
                }
            }
        }
    }

    private static double[] frequencies(Sampler s) {
        double[] f = new double[LOGITS.length];
        for (int i = 0; i < DRAWS; i++) {
            f[s.next(LOGITS)] += 1.0 / DRAWS;
        }
        return f;
    }

    @Test
    void topKSelectionEqualsAFullSortWithTiesToTheLowerId() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int vocab = 1 + r.nextInt(300);
            double[] w = new double[vocab];
            for (int i = 0; i < vocab; i++) {
                w[i] = r.nextInt(20) / 19.0; // many exact ties
            }
            int k = 1 + r.nextInt(vocab);
            Integer[] all = new Integer[vocab];
            for (int i = 0; i < vocab; i++) {
                all[i] = i;
            }
            Arrays.sort(all, (a, b) -> w[a] != w[b] ? Double.compare(w[b], w[a]) : a - b);
            int[] want = Arrays.stream(all).limit(k).mapToInt(Integer::intValue).toArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(want, Sampler.topK(w, k), "trial " + trial);
        }
    }

    private static void assertArrayClose(double[] want, double[] got, double tol) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, "id " + i + " in " + Arrays.toString(got));
        }
    }
}
