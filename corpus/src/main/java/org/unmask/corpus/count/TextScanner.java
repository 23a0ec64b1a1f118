package org.unmask.corpus.count;

/**
 * The counting hot path: one pass over a document's UTF-8 bytes, no allocation, exact counts.
 *
 * <p>Definitions (the reference for every number Unmask reports on a corpus):
 * <ul>
 *   <li><b>Token</b>: a maximal run of ASCII letters {@code [A-Za-z]}, compared case-insensitively. Every other
 *       byte (digits, punctuation, apostrophes, any non-ASCII character) separates tokens, so {@code don't} is
 *       {@code don}+{@code t} and {@code café} yields {@code caf}.
 *   <li><b>Sentence</b>: the text between sentence ends, where a sentence end is {@code .}, {@code !}, {@code ?},
 *       a blank line ({@code \n}, then only {@code [ \t\r\f\u000B]}, then {@code \n}) or the end of the document.
 *       Only sentences with at least one token count. ({@code Mr. Darcy} therefore splits after {@code Mr}: a
 *       known limitation of this simple, reproducible rule.)
 *   <li><b>Document</b>: one JSONL line's text field, or one plain-text file.
 *   <li><b>Window</b>: see {@link WindowTracker}.
 * </ul>
 * Input may be fed in chunks of any size ({@link #feed}); tokens and blank lines spanning chunks are handled.
 */
public final class TextScanner {
    private static final byte OTHER = 0;
    private static final byte LETTER = 1;
    private static final byte TERM = 2;
    private static final byte NL = 3;
    private static final byte WS = 4;
    private static final byte[] CLS = new byte[256];
    /** Bytes per step of {@link #blocks}: one bit of a long per byte. */
    private static final int BLOCK = 64;

    private static final long HIGH = 0x8080808080808080L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long LOWER = 0x2020202020202020L;
    /** Moves bit 8j (j = 0..7) to bit 56 + j, with no carries between the partial products. */
    private static final long GATHER = 0x0102040810204080L;

    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            CLS[c] = LETTER;
            CLS[c - 32] = LETTER;
        }
        CLS['.'] = TERM;
        CLS['!'] = TERM;
        CLS['?'] = TERM;
        CLS['\n'] = NL;
        CLS[' '] = WS;
        CLS['\t'] = WS;
        CLS['\r'] = WS;
        CLS['\f'] = WS;
        CLS[0x0B] = WS;
    }

    private final Lexicon lex;
    private final int minLen;
    private final int maxLen;
    private final Counts counts;
    private final long[] occ;
    private final WindowTracker window;
    private final byte[] tokBuf;

    // a token cut by the end of a chunk: its bytes so far (if short enough to be a word) and length
    private int carryLen;
    private boolean pendingNewline;
    // sentence and document state
    private int pos;
    private int sentStart; // position of the current sentence's first token: it has pos - sentStart tokens
    private int sentGender;
    private int docGender;
    private final int[] sentOcc;
    private int sentOccN;
    private final boolean[] inSent;
    private final int[] docOcc;
    private int docOccN;
    private final boolean[] inDoc;
    // totals kept in fields on the hot path, flushed per document
    private long tokens;
    private long sentences;
    private long maleTokens;
    private long femaleTokens;
    private final long[] sentByGender = new long[4];

    public TextScanner(Lexicon lex, int window, Counts counts) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1");
        }
        this.lex = lex;
        this.minLen = lex.minLen;
        this.maxLen = lex.maxLen;
        this.counts = counts;
        this.occ = counts.occ;
        this.window = new WindowTracker(window, counts);
        this.tokBuf = new byte[Math.max(1, lex.maxLen)];
        int n = counts.occupations();
        sentOcc = new int[n];
        inSent = new boolean[n];
        docOcc = new int[n];
        inDoc = new boolean[n];
    }

    /** Counts a whole document held in {@code buf[off, off+len)}. */
    public void document(byte[] buf, int off, int len) {
        feed(buf, off, len);
        endDocument();
    }

    /** Feeds the next chunk of the current document. */
    public void feed(byte[] b, int off, int len) {
        final int end = off + len;
        int i = off;
        if (carryLen > 0) {
            i = continueCarried(b, off, end);
        }
        i = blocks(b, i, end);
        // the rest (under BLOCK + 8 bytes, or a token that reaches the chunk's end) byte by byte; the per-token
        // state lives in locals here (registers), written back when the chunk is done
        int p = pos;
        boolean nl = pendingNewline;
        while (i < end) {
            int c = b[i];
            if (isLetter(c)) {
                int v;
                if (i + 8 <= end) {
                    // the usual token (1-7 letters) in one 8-byte step: its end, and its packed lower-cased
                    // bytes for the lexicon, from one load; longer tokens continue below
                    long y = (long) LONG.get(b, i) | 0x2020202020202020L;
                    long others = ~letters(y) & 0x8080808080808080L;
                    if (others != 0) {
                        int n = Long.numberOfTrailingZeros(others) >>> 3;
                        i += n;
                        v = lex.lookupShort(y & ((1L << (n << 3)) - 1));
                    } else {
                        int s = i;
                        i = endOfLetters(b, i + 8, end);
                        if (i == end) {
                            pos = p;
                            pendingNewline = nl;
                            startCarry(b, s, end);
                            return;
                        }
                        int n = i - s;
                        v = lex.lookup(b, s, n);
                    }
                } else {
                    int s = i;
                    i = endOfLetters(b, i + 1, end);
                    if (i == end) {
                        pos = p;
                        pendingNewline = nl;
                        startCarry(b, s, end);
                        return;
                    }
                    int n = i - s;
                    v = lex.lookup(b, s, n);
                }
                nl = false;
                if (v != 0) {
                    hit(v, p);
                }
                p++;
                continue;
            }
            byte k = CLS[c & 0xff];
            if (k == TERM) {
                pos = p;
                endSentence();
                nl = false;
            } else if (k == NL) {
                if (nl) {
                    pos = p;
                    endSentence();
                }
                nl = true;
            } else if (k == OTHER) {
                nl = false;
            }
            i++;
        }
        pos = p;
        pendingNewline = nl;
    }

    /**
     * Counts whole 64-byte blocks from {@code i} while they (and an 8-byte read past them) fit before {@code end};
     * returns where {@link #feed}'s byte loop continues, with {@code pos} and {@code pendingNewline} up to date.
     *
     * <p>Why: a loop that branches on every byte's class and on every token's length spends about half its time
     * on mispredicted branches on prose (PERFORMANCE.md). Here each block is first turned into bit masks (bit j =
     * byte {@code i + j}) of letters, sentence terminators, newlines and blank-line whitespace with branch-free
     * SWAR arithmetic; tokens are then taken from the masks by {@code numberOfTrailingZeros}, so the branches left
     * are per token (its lexicon answer, a sentence end before it), not per byte.
     *
     * <p>A block always starts where no token is open (the chunk's scan position, or the start of the token
     * the previous block could not finish, which the next block then starts with). A sentence end (a
     * terminator, or a newline whose previous non-whitespace byte is a newline: the second newline of a blank
     * line) before a token closes the sentence before that token is counted, exactly as the byte loop does.
     */
    private int blocks(byte[] b, int i, int end) {
        int p = pos;
        boolean nl = pendingNewline;
        while (i + BLOCK + 8 <= end) {
            long let = 0;
            long term = 0;
            long nls = 0;
            long white = 0;
            // per 8-byte word: (low ^ c) + 0x7F.. sets a byte's high bit iff its low 7 bits differ from c, with no
            // carry between bytes; "| x" keeps non-ASCII bytes (high bit set) out of every class
            for (int k = 0; k < BLOCK; k += 8) {
                long x = (long) LONG.get(b, i + k);
                long low = x & LOW7;
                long y = low | LOWER;
                long ascii = ~x;
                let |= gather((y + 0x1F1F1F1F1F1F1F1FL) & ~(y + 0x0505050505050505L) & ascii) << k;
                term |= gather(~((((low ^ 0x2E2E2E2E2E2E2E2EL) + LOW7)
                                        & ((low ^ 0x2121212121212121L) + LOW7)
                                        & ((low ^ 0x3F3F3F3F3F3F3F3FL) + LOW7))
                                | x))
                        << k;
                long isNl = ~(((low ^ 0x0A0A0A0A0A0A0A0AL) + LOW7) | x);
                nls |= gather(isNl) << k;
                // whitespace that keeps a pending newline: space, or 0x09-0x0D (newline itself included)
                white |= gather(~(((low ^ 0x2020202020202020L) + LOW7) | x)
                                | ((low + 0x7777777777777777L) & ~(low + 0x7272727272727272L) & ascii))
                        << k;
            }
            // newlines whose run of whitespace before them (within this block, or from the block start when a
            // newline was pending) holds a newline: the blank-line sentence ends. The addition carries each
            // run's first newline through the rest of its whitespace run (runs are separated by 0 bits)
            long seeds = nls | (nl ? white & 1 : 0);
            long reached = (white & ~(white + seeds)) | seeds;
            long sentenceEnds = term | (nls & ((reached << 1) | (nl ? 1 : 0)));
            long starts = let & ~(let << 1);
            long stops = ~let & (let << 1);
            int next = BLOCK;
            if (let < 0) {
                // the last token may run past the block: the next block starts with it
                next = 63 - Long.numberOfLeadingZeros(starts);
                if (next == 0) {
                    // 64 letters and more: no word is that long, but the token counts
                    int e = endOfLetters(b, i + BLOCK, end);
                    if (e == end) {
                        break; // it may go on in the next chunk: the byte loop carries it
                    }
                    int v = lex.lookup(b, i, e - i);
                    if (v != 0) {
                        hit(v, p);
                    }
                    p++;
                    nl = false;
                    i = e;
                    continue;
                }
                starts ^= 1L << next;
            }
            while (starts != 0) {
                int s = Long.numberOfTrailingZeros(starts);
                int n = Long.numberOfTrailingZeros(stops) - s;
                starts &= starts - 1;
                stops &= stops - 1;
                if (Long.numberOfTrailingZeros(sentenceEnds) < s) {
                    pos = p;
                    endSentence();
                    sentenceEnds &= -1L << s;
                }
                int v;
                if (n < 8) {
                    long w = (long) LONG.get(b, i + s) | LOWER;
                    v = lex.lookupShort(w & ((1L << (n << 3)) - 1));
                } else {
                    v = lex.lookup(b, i + s, n);
                }
                if (v != 0) {
                    hit(v, p);
                }
                p++;
            }
            if (sentenceEnds != 0) {
                pos = p;
                endSentence();
            }
            nl = next == BLOCK ? reached < 0 : false;
            i += next;
        }
        pos = p;
        pendingNewline = nl;
        return i;
    }

    /** One bit per byte: bit j set iff byte j of {@code flags} has its high bit set (the other bits ignored). */
    private static long gather(long flags) {
        return (((flags & HIGH) >>> 7) * GATHER) >>> 56;
    }

    /** The high bit of each byte of {@code y} (already {@code | 0x20}) set iff that byte is an ASCII letter. */
    private static long letters(long y) {
        long low = y & 0x7F7F7F7F7F7F7F7FL;
        return (low + 0x1F1F1F1F1F1F1F1FL) & ~(low + 0x0505050505050505L) & ~y & 0x8080808080808080L;
    }

    /**
     * The index of the first non-letter in {@code b[i, end)}, or {@code end}: 8 bytes per step (SWAR): after
     * lower-casing with {@code | 0x20}, a byte is a letter iff its high bit is clear and it lies in
     * {@code [0x61, 0x7A]}; adding {@code 0x80 - 0x61} and {@code 0x80 - 0x7B} to the low 7 bits sets the high bit
     * exactly for bytes at or above each bound, with no carry between bytes.
     */
    private static int endOfLetters(byte[] b, int i, int end) {
        while (i + 8 <= end) {
            long others = ~letters((long) LONG.get(b, i) | 0x2020202020202020L) & 0x8080808080808080L;
            if (others != 0) {
                return i + (Long.numberOfTrailingZeros(others) >>> 3);
            }
            i += 8;
        }
        while (i < end && isLetter(b[i])) {
            i++;
        }
        return i;
    }

    /** ASCII letter test without a table load: {@code (b | 0x20)} maps A–Z to a–z and nothing else into a–z. */
    private static boolean isLetter(int c) {
        return (((c | 0x20) - 'a') & 0xff) < 26;
    }

    /** Continues a token carried over from the previous chunk; returns where normal scanning resumes. */
    private int continueCarried(byte[] b, int off, int end) {
        int i = off;
        while (i < end && CLS[b[i] & 0xff] == LETTER) {
            i++;
        }
        appendCarry(b, off, i);
        if (i < end) {
            finishCarry();
        }
        return i;
    }

    private void startCarry(byte[] b, int s, int end) {
        carryLen = 0;
        appendCarry(b, s, end);
    }

    private void appendCarry(byte[] b, int from, int to) {
        int n = to - from;
        if (carryLen + n <= tokBuf.length) {
            System.arraycopy(b, from, tokBuf, carryLen, n);
        }
        carryLen += n; // past tokBuf's length the bytes are dropped: the token is too long to be a word
    }

    private void finishCarry() {
        int n = carryLen;
        carryLen = 0;
        token(n <= tokBuf.length ? lex.lookup(tokBuf, 0, n) : 0);
    }

    private void token(int v) {
        int p = pos++;
        pendingNewline = false;
        if (v != 0) {
            hit(v, p);
        }
    }

    private void hit(int v, int p) {
        int o = (v >>> Lexicon.OCC_SHIFT) - 1;
        if (o >= 0) {
            occ[o * OccStat.COUNT + OccStat.MENTIONS.ordinal()]++;
            if (!inSent[o]) {
                inSent[o] = true;
                sentOcc[sentOccN++] = o;
            }
            if (!inDoc[o]) {
                inDoc[o] = true;
                docOcc[docOccN++] = o;
            }
            window.mention(p, o);
        }
        int g = v & (Lexicon.MALE | Lexicon.FEMALE);
        if (g != 0) {
            sentGender |= g;
            docGender |= g;
            if (g == Lexicon.MALE) {
                maleTokens++;
            } else {
                femaleTokens++;
            }
            window.gendered(p, g == Lexicon.MALE);
        }
    }

    private void endSentence() {
        int n = pos - sentStart;
        if (n == 0) {
            return;
        }
        sentences++;
        tokens += n;
        sentStart = pos;
        int g = sentGender;
        sentByGender[g]++;
        for (int i = 0; i < sentOccN; i++) {
            int o = sentOcc[i];
            inSent[o] = false;
            tally(o * OccStat.COUNT, g, OccStat.SENT_TOTAL);
        }
        sentOccN = 0;
        sentGender = 0;
    }

    /** Adds one unit to TOTAL, and to MALE_ONLY / FEMALE_ONLY / BOTH (the three follow TOTAL in OccStat). */
    private void tally(int base, int g, OccStat total) {
        int t = base + total.ordinal();
        occ[t]++;
        if (g != 0) {
            occ[t + g]++; // g = 1 male only, 2 female only, 3 both
        }
    }

    /** Ends the current document: closes the token, sentence, windows and document-level counts. */
    public void endDocument() {
        if (carryLen > 0) {
            finishCarry();
        }
        pendingNewline = false;
        endSentence();
        window.endDocument(pos);
        int g = docGender;
        for (int i = 0; i < docOccN; i++) {
            int o = docOcc[i];
            inDoc[o] = false;
            tally(o * OccStat.COUNT, g, OccStat.DOC_TOTAL);
        }
        docOccN = 0;
        docGender = 0;
        pos = 0;
        sentStart = 0;
        counts.addTotal(Total.DOCUMENTS, 1);
        if (g == 1) {
            counts.addTotal(Total.DOCUMENTS_MALE_ONLY, 1);
        } else if (g == 2) {
            counts.addTotal(Total.DOCUMENTS_FEMALE_ONLY, 1);
        } else if (g == 3) {
            counts.addTotal(Total.DOCUMENTS_BOTH, 1);
        }
        flush();
    }

    private void flush() {
        counts.addTotal(Total.TOKENS, tokens);
        counts.addTotal(Total.SENTENCES, sentences);
        counts.addTotal(Total.MALE_TOKENS, maleTokens);
        counts.addTotal(Total.FEMALE_TOKENS, femaleTokens);
        counts.addTotal(Total.SENTENCES_MALE_ONLY, sentByGender[1]);
        counts.addTotal(Total.SENTENCES_FEMALE_ONLY, sentByGender[2]);
        counts.addTotal(Total.SENTENCES_BOTH, sentByGender[3]);
        tokens = 0;
        sentences = 0;
        maleTokens = 0;
        femaleTokens = 0;
        java.util.Arrays.fill(sentByGender, 0);
    }
}
