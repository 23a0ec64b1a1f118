package org.unmask.corpus.count;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.unmask.corpus.lexicon.OccupationTerm;
import org.unmask.corpus.lexicon.WordLists;

/**
 * An exact, allocation-free lookup of case-insensitive ASCII-letter tokens in the word lists.
 *
 * <p>A token is first checked against a 64 Ki-bit prefilter over (length, first two letters, last letter), which
 * rejects most tokens at the cost of one bit test. Candidates are packed, lower-cased, into two little-endian
 * 64-bit words (the first and the last 8 bytes; for up to 16 letters these determine the token exactly) and looked
 * up by open addressing; tokens longer than 16 letters are compared byte by byte. No hash collision can cause a
 * false match. Tokens of 1 to 7 letters, most of running text, have their own path ({@link #lookupShort}): the
 * scanner hands over the token's bytes already packed from the load that found its end, and one prefilter bit
 * and a table keyed by that one word answer exactly as {@link #lookup} does.
 *
 * <p>An entry's value packs {@link #MALE}, {@link #FEMALE} and the occupation index + 1 shifted by
 * {@link #OCC_SHIFT} (0 = not an occupation).
 */
public final class Lexicon {
    public static final int MALE = 1;
    public static final int FEMALE = 2;
    public static final int OCC_SHIFT = 2;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOWER = 0x2020202020202020L;

    private final byte[][] keys;
    private final long[] first;
    private final long[] last;
    private final int[] lengths;
    private final int[] values;
    private final int mask;
    final int minLen;
    final int maxLen;
    private final long[] candidates = new long[1 << 10];
    // tokens of 1-7 letters, keyed by their packed lower-cased bytes alone (letters are never 0, so the zero
    // padding encodes the length): a prefilter bit, then open addressing over shortKeys (0 = empty)
    private final long[] shortFilter = new long[1 << 10];
    private final long[] shortKeys;
    private final int[] shortValues;
    private final int shortShift;

    public Lexicon(WordLists lists) {
        int n = lists.male().size() + lists.female().size();
        for (OccupationTerm o : lists.occupations()) {
            n += o.forms().size();
        }
        int cap = Integer.highestOneBit(Math.max(16, n * 4) - 1) << 1;
        keys = new byte[cap][];
        first = new long[cap];
        last = new long[cap];
        lengths = new int[cap];
        values = new int[cap];
        mask = cap - 1;
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
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (byte[] k : keys) {
            if (k != null) {
                min = Math.min(min, k.length);
                max = Math.max(max, k.length);
                int c = candidateIndex(k, 0, k.length);
                candidates[c >>> 6] |= 1L << c;
            }
        }
        minLen = min == Integer.MAX_VALUE ? 1 : min;
        maxLen = max;
        int shortCount = 0;
        for (byte[] k : keys) {
            if (k != null && k.length < 8) {
                shortCount++;
            }
        }
        int shortCap = Integer.highestOneBit(Math.max(16, shortCount * 4) - 1) << 1;
        shortKeys = new long[shortCap];
        shortValues = new int[shortCap];
        shortShift = 64 - Integer.numberOfTrailingZeros(shortCap);
        for (byte[] k : keys) {
            if (k != null && k.length < 8) {
                // the token this key matches (if any): its letters lower-cased; its value is lookup()'s answer,
                // so both paths agree even if a caller's lists held the same word in two spellings of case
                byte[] t = new byte[k.length];
                for (int i = 0; i < k.length; i++) {
                    t[i] = (byte) (k[i] | 0x20);
                }
                if (allLetters(t)) {
                    putShort(load(t, 0, t.length), lookup(t, 0, t.length));
                }
            }
        }
    }

    private void putShort(long packed, int value) {
        int mask = shortKeys.length - 1;
        int t = (int) ((packed * 0xC2B2AE3D27D4EB4FL) >>> shortShift);
        while (shortKeys[t] != 0) {
            if (shortKeys[t] == packed) {
                return;
            }
            t = (t + 1) & mask;
        }
        shortKeys[t] = packed;
        shortValues[t] = value;
        int f = shortFilterIndex(packed);
        shortFilter[f >>> 6] |= 1L << f;
    }

    private static int shortFilterIndex(long packed) {
        return (int) ((packed * 0x9E3779B97F4A7C15L) >>> 48);
    }

    /**
     * The value of a token of 1 to 7 letters given packed: its bytes lower-cased ({@code | 0x20}) in the low
     * bytes of a little-endian word, zero above; the same answer as {@link #lookup} on those letters.
     */
    int lookupShort(long packed) {
        int f = shortFilterIndex(packed);
        if ((shortFilter[f >>> 6] & (1L << f)) == 0) {
            return 0;
        }
        int mask = shortKeys.length - 1;
        for (int t = (int) ((packed * 0xC2B2AE3D27D4EB4FL) >>> shortShift); ; t = (t + 1) & mask) {
            long k = shortKeys[t];
            if (k == packed) {
                return shortValues[t];
            }
            if (k == 0) {
                return 0;
            }
        }
    }

    /** 16 bits from length, first, second and last letter (case-folded). */
    private static int candidateIndex(byte[] w, int off, int len) {
        int second = len > 1 ? (w[off + 1] | 0x20) & 31 : 0;
        int x = (len << 15) ^ (((w[off] | 0x20) & 31) << 10) ^ (second << 5) ^ ((w[off + len - 1] | 0x20) & 31);
        return (x ^ (x >>> 16)) & 0xFFFF;
    }

    /** Up to 8 bytes at {@code off} (little-endian, zero-padded), lower-cased. */
    private static long load(byte[] b, int off, int n) {
        int k = Math.min(8, n);
        long v;
        if (off + 8 <= b.length) {
            v = (long) LONG.get(b, off);
            if (k < 8) {
                v &= (1L << (k << 3)) - 1;
            }
        } else {
            v = 0;
            for (int i = k - 1; i >= 0; i--) {
                v = (v << 8) | (b[off + i] & 0xff);
            }
        }
        return v | (LOWER & (k == 8 ? -1L : (1L << (k << 3)) - 1));
    }

    private static long lastWord(byte[] b, int off, int len) {
        return len <= 8 ? 0 : load(b, off + len - 8, 8);
    }

    private static int slot(long a, long z, int len) {
        long h = (a * 0x9E3779B97F4A7C15L) ^ (Long.rotateLeft(z, 29) * 0xC2B2AE3D27D4EB4FL) ^ len;
        return (int) (h ^ (h >>> 32));
    }

    private void put(String word, int value) {
        byte[] w = word.getBytes(StandardCharsets.US_ASCII);
        long a = load(w, 0, w.length);
        long z = lastWord(w, 0, w.length);
        int s = slot(a, z, w.length) & mask;
        while (keys[s] != null) {
            if (Arrays.equals(keys[s], w)) {
                values[s] |= value; // a word may be an occupation form and gendered at once
                return;
            }
            s = (s + 1) & mask;
        }
        keys[s] = w;
        first[s] = a;
        last[s] = z;
        lengths[s] = w.length;
        values[s] = value;
    }

    /** The value of the token {@code buf[off, off+len)} (ASCII letters, any case), or 0 if it is no word. */
    int lookup(byte[] buf, int off, int len) {
        if (len < minLen || len > maxLen) {
            return 0;
        }
        int c = candidateIndex(buf, off, len);
        if ((candidates[c >>> 6] & (1L << c)) == 0) {
            return 0;
        }
        long a = load(buf, off, len);
        long z = lastWord(buf, off, len);
        int s = slot(a, z, len) & mask;
        while (keys[s] != null) {
            if (first[s] == a && last[s] == z && lengths[s] == len && (len <= 16 || sameLetters(keys[s], buf, off))) {
                return values[s];
            }
            s = (s + 1) & mask;
        }
        return 0;
    }

    private static boolean allLetters(byte[] t) {
        for (byte c : t) {
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
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
