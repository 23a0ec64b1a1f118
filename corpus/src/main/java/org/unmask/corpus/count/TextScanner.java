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
    private final Counts counts;
    private final long[] occ;
    private final WindowTracker window;
    private final byte[] tokBuf;

    // token state
    private int tokLen;
    private int tokHash;
    private int tokBuffered = -1; // bytes of the current token carried over from earlier chunks, -1 = none
    private boolean pendingNewline;
    // sentence and document state
    private int pos;
    private int sentTokens;
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
        int h = tokHash;
        int n = tokLen;
        // start of the current token in this chunk; a token carried from an earlier chunk continues at off
        int start = off;
        for (int i = off; i < end; i++) {
            byte c = CLS[b[i] & 0xff];
            if (c == LETTER) {
                if (n == 0) {
                    start = i;
                }
                h = h * 31 + (b[i] | 0x20);
                n++;
                continue;
            }
            if (n > 0) {
                endToken(h, n, b, start, i);
                h = 0;
                n = 0;
                pendingNewline = false;
            }
            if (c == TERM) {
                endSentence();
                pendingNewline = false;
            } else if (c == NL) {
                if (pendingNewline) {
                    endSentence();
                }
                pendingNewline = true;
            } else if (c == OTHER) {
                pendingNewline = false;
            }
        }
        if (n > 0) {
            carry(b, start, end, n);
        }
        tokHash = h;
        tokLen = n;
    }

    /** Keeps the bytes of a token cut by the chunk end, if it is short enough to be a lexicon word. */
    private void carry(byte[] b, int start, int end, int n) {
        int inChunk = end - start;
        int before = tokBuffered < 0 ? 0 : tokBuffered;
        if (n <= tokBuf.length && before + inChunk == n) {
            System.arraycopy(b, start, tokBuf, before, inChunk);
            tokBuffered = n;
        } else {
            tokBuffered = Integer.MIN_VALUE; // too long to match anything
        }
    }

    private void endToken(int h, int n, byte[] b, int start, int end) {
        int p = pos++;
        sentTokens++;
        if (n < lex.minLen || n > lex.maxLen) {
            tokBuffered = -1;
            return;
        }
        int v;
        if (tokBuffered == -1) {
            v = lex.find(h, b, start, n);
        } else {
            if (tokBuffered < 0) {
                tokBuffered = -1;
                return;
            }
            System.arraycopy(b, start, tokBuf, tokBuffered, end - start);
            tokBuffered = -1;
            v = lex.find(h, tokBuf, 0, n);
        }
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
        if (sentTokens == 0) {
            return;
        }
        sentences++;
        tokens += sentTokens;
        sentTokens = 0;
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
        if (tokLen > 0) {
            // the last token of a chunked document: its bytes are in tokBuf if it can match at all
            int n = tokLen;
            int v = 0;
            int p = pos++;
            sentTokens++;
            if (tokBuffered == n && n >= lex.minLen) {
                v = lex.find(tokHash, tokBuf, 0, n);
            }
            if (v != 0) {
                hit(v, p);
            }
            tokLen = 0;
            tokHash = 0;
        }
        tokBuffered = -1;
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
