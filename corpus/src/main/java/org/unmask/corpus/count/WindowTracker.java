package org.unmask.corpus.count;

/**
 * The ±k-token window counts of one document, in bounded memory (O(k)).
 *
 * <p>For each occupation mention at token position p, counts the male and female words at positions q with
 * {@code 0 < |q - p| <= k} in the same document. The backward half comes from queues of recent gendered
 * positions; the forward half is added as gendered words arrive to mentions still pending (a mention is final
 * once the scan is more than k tokens past it). Also accumulates B&amp;B's normaliser Σ_w c(w, g): for each
 * gendered word at q in a document of N tokens, {@code min(k, q) + min(k, N - 1 - q)} tokens are in its window;
 * the forward part is assumed full (k) and corrected at the end of the document for words in the last k tokens.
 */
final class WindowTracker {
    private final int k;
    private final long[] occ;
    private final long[] totals;
    private final IntRing male;
    private final IntRing female;
    // pending mentions, FIFO (at most k + 1: one per position in the last k + 1 tokens)
    private final int[] pPos;
    private final int[] pOcc;
    private final int[] pMale;
    private final int[] pFemale;
    private final int pMask;
    private int pHead;
    private int pTail;

    WindowTracker(int k, Counts counts) {
        this.k = k;
        this.occ = counts.occ;
        this.totals = counts.totals;
        this.male = new IntRing(k + 1);
        this.female = new IntRing(k + 1);
        int cap = Integer.highestOneBit(k + 1) << 1;
        pPos = new int[cap];
        pOcc = new int[cap];
        pMale = new int[cap];
        pFemale = new int[cap];
        pMask = cap - 1;
    }

    void mention(int p, int occupation) {
        expire(p);
        male.evictBelow(p - k);
        female.evictBelow(p - k);
        int t = pTail & pMask;
        pPos[t] = p;
        pOcc[t] = occupation;
        pMale[t] = male.size();
        pFemale[t] = female.size();
        pTail++;
    }

    void gendered(int q, boolean isMale) {
        expire(q);
        for (int i = pHead; i != pTail; i++) {
            int s = i & pMask;
            if (pPos[s] < q) { // pending positions are all >= q - k after expire(q); never count the word itself
                if (isMale) {
                    pMale[s]++;
                } else {
                    pFemale[s]++;
                }
            }
        }
        IntRing ring = isMale ? male : female;
        ring.evictBelow(q - k);
        ring.push(q);
        totals[isMale ? Total.CONTEXT_TOKENS_MALE.ordinal() : Total.CONTEXT_TOKENS_FEMALE.ordinal()] +=
                Math.min(k, q) + k;
    }

    /** Closes the document of {@code n} tokens: finalises pending mentions and the forward context counts. */
    void endDocument(int n) {
        expire(Integer.MAX_VALUE);
        correct(male, n, Total.CONTEXT_TOKENS_MALE);
        correct(female, n, Total.CONTEXT_TOKENS_FEMALE);
        male.clear();
        female.clear();
        pHead = 0;
        pTail = 0;
    }

    private void correct(IntRing ring, int n, Total t) {
        for (int i = 0; i < ring.size(); i++) {
            int q = ring.get(i);
            int forward = n - 1 - q;
            if (forward < k) {
                totals[t.ordinal()] -= k - forward;
            }
        }
    }

    /** Finalises mentions whose window ended before position {@code pos}, i.e. p + k < pos. */
    private void expire(int pos) {
        while (pHead != pTail) {
            int s = pHead & pMask;
            if ((long) pPos[s] + k >= pos) {
                return;
            }
            int base = pOcc[s] * OccStat.COUNT;
            int m = pMale[s];
            int f = pFemale[s];
            if (m > 0 && f > 0) {
                occ[base + OccStat.WIN_BOTH.ordinal()]++;
            } else if (m > 0) {
                occ[base + OccStat.WIN_MALE_ONLY.ordinal()]++;
            } else if (f > 0) {
                occ[base + OccStat.WIN_FEMALE_ONLY.ordinal()]++;
            }
            occ[base + OccStat.WIN_PAIRS_MALE.ordinal()] += m;
            occ[base + OccStat.WIN_PAIRS_FEMALE.ordinal()] += f;
            pHead++;
        }
    }

    /** A FIFO of increasing token positions with capacity for one window. */
    private static final class IntRing {
        private final int[] a;
        private final int mask;
        private int head;
        private int tail;

        IntRing(int min) {
            int cap = Integer.highestOneBit(min) << 1;
            a = new int[cap];
            mask = cap - 1;
        }

        void push(int v) {
            a[tail & mask] = v;
            tail++;
        }

        void evictBelow(int min) {
            while (head != tail && a[head & mask] < min) {
                head++;
            }
        }

        int size() {
            return tail - head;
        }

        int get(int i) {
            return a[(head + i) & mask];
        }

        void clear() {
            head = 0;
            tail = 0;
        }
    }
}
