package org.unmask.corpus.count;

import java.nio.charset.StandardCharsets;
import org.unmask.corpus.lexicon.OccupationTerm;
import org.unmask.corpus.lexicon.WordLists;

/**
 * An exact, allocation-free lookup of lower-cased ASCII tokens in the word lists: open addressing on a
 * multiplicative hash, then a byte-by-byte comparison (so hash collisions never cause a false match).
 *
 * <p>An entry's value packs {@link #MALE}, {@link #FEMALE} and the occupation index + 1 shifted by
 * {@link #OCC_SHIFT} (0 = not an occupation).
 */
public final class Lexicon {
    public static final int MALE = 1;
    public static final int FEMALE = 2;
    public static final int OCC_SHIFT = 2;

    private final byte[][] keys;
    private final int[] hashes;
    private final int[] values;
    private final int mask;
    final int minLen;
    final int maxLen;

    public Lexicon(WordLists lists) {
        int n = lists.male().size() + lists.female().size();
        for (OccupationTerm o : lists.occupations()) {
            n += o.forms().size();
        }
        int cap = Integer.highestOneBit(Math.max(16, n * 4) - 1) << 1;
        keys = new byte[cap][];
        hashes = new int[cap];
        values = new int[cap];
        mask = cap - 1;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < lists.occupations().size(); i++) {
            for (String f : lists.occupations().get(i).forms()) {
                put(f, (i + 1) << OCC_SHIFT);
            }
        }
        for (String w : lists.male()) {
            put(w, MALE);
        }
        for (String w : lists.female()) {
            put(w, FEMALE);
        }
        for (byte[] k : keys) {
            if (k != null) {
                min = Math.min(min, k.length);
                max = Math.max(max, k.length);
            }
        }
        minLen = min == Integer.MAX_VALUE ? 1 : min;
        maxLen = max;
    }

    /** The hash the scanner computes incrementally: {@code h = h * 31 + (b | 0x20)} over the token's bytes. */
    static int hash(byte[] word, int off, int len) {
        int h = 0;
        for (int i = 0; i < len; i++) {
            h = h * 31 + (word[off + i] | 0x20);
        }
        return h;
    }

    private static int slot(int h) {
        return (h * 0x9E3779B9) ^ (h >>> 16);
    }

    private void put(String word, int value) {
        byte[] w = word.getBytes(StandardCharsets.US_ASCII);
        int h = hash(w, 0, w.length);
        int s = slot(h) & mask;
        while (keys[s] != null) {
            if (hashes[s] == h && java.util.Arrays.equals(keys[s], w)) {
                values[s] |= value; // a word may be an occupation form and gendered at once
                return;
            }
            s = (s + 1) & mask;
        }
        keys[s] = w;
        hashes[s] = h;
        values[s] = value;
    }

    /** The value of the token {@code buf[off, off+len)} (ASCII letters, any case) with hash {@code h}, or 0. */
    int find(int h, byte[] buf, int off, int len) {
        int s = slot(h) & mask;
        byte[] k;
        while ((k = keys[s]) != null) {
            if (hashes[s] == h && k.length == len && sameLetters(k, buf, off)) {
                return values[s];
            }
            s = (s + 1) & mask;
        }
        return 0;
    }

    private static boolean sameLetters(byte[] key, byte[] buf, int off) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] != (buf[off + i] | 0x20)) {
                return false;
            }
        }
        return true;
    }
}
