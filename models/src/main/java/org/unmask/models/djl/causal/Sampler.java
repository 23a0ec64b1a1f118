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
    /** Weights of the fast top-k path, reused between tokens (only the entries of the current k ids are read). */
    private double[] scratch;

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
        return next(logits, 0, logits.length);
    }

    /**
     * The next token from the logits row {@code all[from .. from + vocab)} (one row of a batch's logits, read in
     * place).
     */
    int next(float[] all, int from, int vocab) {
        if (temperature == 0) {
            return argmax(all, from, vocab);
        }
        if (topK > 0 && topK < vocab) {
            int id = topKFromLogits(all, from, vocab);
            if (id >= 0) {
                return id;
            }
        }
        return weighingAll(from == 0 && all.length == vocab ? all : Arrays.copyOfRange(all, from, from + vocab));
    }

    /** {@link #next} by weighing every id of the row: the reference the shortcuts are held to. */
    int weighingAll(float[] logits) {
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
        if (k < vocab) {
            return nucleus(w, topK(w, k));
        }
        // Only the most likely tokens can be in the nucleus: sort those above a threshold (weights are relative
        // to the top token's 1), lowering it until the sorted ones reach p.
        for (double t = 1e-4; ; t = t > 1e-300 ? t * 1e-4 : 0) {
            int[] cand = sorted(w, above(w, t));
            int n = nucleusSize(w, cand, total);
            if (n < 0 && cand.length < vocab && t > 0) {
                continue;
            }
            return drawFirst(w, cand, n < 0 ? cand.length : n);
        }
    }

    /**
     * The top-k draw of {@link #next} without weighing the whole vocabulary: the k most likely ids are found by
     * their logits (float compares, no exp), and only those k are weighed, so a step costs one pass over the row
     * instead of a vocabulary of exps (16 rows x 50,257 exps a step were a large share of batched sampling). The
     * draw is the same as the full path's, bit for bit: the weight exp((logit - max) / T) is a non-decreasing
     * function of the logit, so ranking by logit and ranking by weight (ties by lower id both ways) pick the same k
     * ids unless two different logits around the k-th share its weight; that is checked at the k-th logit's float
     * neighbours, and then (a flat row at a huge temperature, underflow, non-finite logits) this returns -1 and the
     * full path decides. The k ids are then ordered, cut by top-p and drawn from exactly as there.
     */
    private int topKFromLogits(float[] row, int from, int vocab) {
        if (!(temperature > 0)) {
            return -1;
        }
        int k = topK;
        int[] heap = new int[k]; // ids relative to from; the worst kept at the root
        for (int i = 0; i < k; i++) {
            if (Float.isNaN(row[from + i])) {
                return -1; // NaN: leave every oddity to the full path
            }
            heap[i] = i;
            siftUp(heap, i, row, from);
        }
        float kth = row[from + heap[0]];
        for (int i = k; i < vocab; i++) {
            float x = row[from + i];
            if (!(x <= kth)) { // above the worst kept, or NaN; an equal logit has a higher id: the kept one stays
                if (x != x) {
                    return -1;
                }
                heap[0] = i;
                siftDown(heap, k, row, from);
                kth = row[from + heap[0]];
            }
        }
        float top = kth;
        for (int id : heap) {
            top = Math.max(top, row[from + id]); // the row's maximum is among its k largest
        }
        double max = top;
        if (!Double.isFinite(max) || !Float.isFinite(kth)) {
            return -1;
        }
        double wk = weight(kth, max);
        if (!(weight(Math.nextDown(kth), max) < wk && wk < weight(Math.nextUp(kth), max))) {
            return -1; // another logit may share the k-th's weight: the two rankings could differ
        }
        if (scratch == null || scratch.length < vocab) {
            scratch = new double[vocab];
        }
        double[] w = scratch; // read only at the k ids set here
        for (int id : heap) {
            w[id] = weight(row[from + id], max);
        }
        return nucleus(w, sorted(w, heap));
    }

    private double weight(float logit, double max) {
        return Math.exp((logit - max) / temperature);
    }

    private static void siftUp(int[] heap, int at, float[] row, int from) {
        while (at > 0 && worse(heap[at], heap[(at - 1) / 2], row, from)) {
            swap(heap, at, (at - 1) / 2);
            at = (at - 1) / 2;
        }
    }

    private static void siftDown(int[] heap, int size, float[] row, int from) {
        int at = 0;
        while (true) {
            int worst = at;
            for (int c = 2 * at + 1; c <= 2 * at + 2 && c < size; c++) {
                if (worse(heap[c], heap[worst], row, from)) {
                    worst = c;
                }
            }
            if (worst == at) {
                return;
            }
            swap(heap, at, worst);
            at = worst;
        }
    }

    /** Whether id {@code a} ranks below id {@code b} by logit: smaller, or equal and higher id. */
    private static boolean worse(int a, int b, float[] row, int from) {
        float x = row[from + a];
        float y = row[from + b];
        return x < y || (x == y && a > b);
    }

    /**
     * The {@code k} most likely ids, most likely first, ties by lower id, in one pass with a bounded heap
     * (O(V log k)): sorting the whole vocabulary for every sampled token would cost more than the model's step on
     * a flat distribution.
     */
    static int[] topK(double[] w, int k) {
        int[] heap = new int[k]; // the worst kept id at the root
        int size = 0;
        for (int i = 0; i < w.length; i++) {
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, w);
            } else if (w[i] > w[heap[0]]) { // equal weight: the kept id is lower, keep it
                heap[0] = i;
                siftDown(heap, size, w);
            }
        }
        return sorted(w, Arrays.copyOf(heap, size));
    }

    /** Whether id {@code a} ranks below id {@code b}: smaller weight, or equal weight and higher id. */
    private static boolean worse(int a, int b, double[] w) {
        return w[a] < w[b] || (w[a] == w[b] && a > b);
    }

    private static void siftUp(int[] heap, int at, double[] w) {
        while (at > 0 && worse(heap[at], heap[(at - 1) / 2], w)) {
            swap(heap, at, (at - 1) / 2);
            at = (at - 1) / 2;
        }
    }

    private static void siftDown(int[] heap, int size, double[] w) {
        int at = 0;
        while (true) {
            int worst = at;
            for (int c = 2 * at + 1; c <= 2 * at + 2 && c < size; c++) {
                if (worse(heap[c], heap[worst], w)) {
                    worst = c;
                }
            }
            if (worst == at) {
                return;
            }
            swap(heap, at, worst);
            at = worst;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Top-p within the top-k set, renormalised over that set as HF's warpers do; then one draw. */
    private int nucleus(double[] w, int[] top) {
        double norm = 0;
        for (int id : top) {
            norm += w[id];
        }
        int n = nucleusSize(w, top, norm);
        return drawFirst(w, top, n < 0 ? top.length : n);
    }

    /**
     * How many of the first ids of {@code order} the nucleus keeps: the fewest whose share of {@code norm} reaches
     * p; -1 when all of them together fall short.
     */
    private int nucleusSize(double[] w, int[] order, double norm) {
        double cum = 0;
        for (int n = 0; n < order.length; ) {
            cum += w[order[n++]] / norm;
            if (cum >= topP) {
                return n;
            }
        }
        return -1;
    }

    /** Draws one of the first {@code n} ids of {@code order}, in proportion to their weights. */
    private int drawFirst(double[] w, int[] order, int n) {
        double kept = 0;
        for (int i = 0; i < n; i++) {
            kept += w[order[i]];
        }
        return draw(w, order, n, kept);
    }

    /** {@code ids} ordered most likely first, ties by lower id. */
    private static int[] sorted(double[] w, int[] ids) {
        Integer[] boxed = new Integer[ids.length];
        for (int i = 0; i < ids.length; i++) {
            boxed[i] = ids[i];
        }
        Arrays.sort(boxed, (a, b) -> w[a] != w[b] ? Double.compare(w[b], w[a]) : a - b);
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    /** Ids whose weight is at least {@code t}, in id order. */
    private static int[] above(double[] w, double t) {
        int count = 0;
        for (double x : w) {
            count += x >= t ? 1 : 0;
        }
        int[] ids = new int[count];
        int j = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] >= t) {
                ids[j++] = i;
            }
        }
        return ids;
    }

    /** Draws one of the first {@code n} ids of {@code order} (or of the vocabulary in id order when null). */
    private int draw(double[] w, int[] order, int n, double sum) {
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
        return argmax(row, 0, row.length);
    }

    /** The first highest entry of {@code row[from .. from + n)}, relative to {@code from}. */
    static int argmax(float[] row, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (row[from + i] > row[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
