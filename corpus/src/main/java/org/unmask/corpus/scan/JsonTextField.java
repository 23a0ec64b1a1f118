package org.unmask.corpus.scan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Extracts one top-level string field (e.g. {@code "text"}) from a JSON object held in a byte range, without
 * building a tree: a single pass that checks the object's structure, skips other values, and decodes the wanted
 * string (all JSON escapes, {@code \\uXXXX} including surrogate pairs, to UTF-8) into a reusable buffer.
 *
 * <p>Checks: the line must be one JSON object; keys and strings must be well-formed with valid escapes and valid
 * UTF-8; nested objects and arrays are bracket-matched with their strings checked, scalars must be made of
 * number/literal characters. Raw control characters inside strings are tolerated. If the key occurs more than
 * once, the last value wins (as in Jackson). A lone surrogate escape decodes to U+FFFD.
 */
public final class JsonTextField {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Outcome of {@link #extract}. */
    public enum Status {
        OK,
        NOT_JSON,
        NO_FIELD,
        FIELD_NOT_STRING,
        INVALID_UTF8
    }

    private static final byte PLAIN = 0;
    private static final byte QUOTE = 1;
    private static final byte BACKSLASH = 2;
    private static final byte HIGH = 3;
    /** A raw newline: inside a line (see {@link #extract}) a tolerated control character, else the line's end. */
    private static final byte NEWLINE = 4;

    private static final byte[] STR = new byte[256];

    static {
        STR['"'] = QUOTE;
        STR['\\'] = BACKSLASH;
        STR['\n'] = NEWLINE;
        for (int i = 0x80; i < 256; i++) {
            STR[i] = HIGH;
        }
    }

    private final byte[] field;
    private byte[] out = new byte[1 << 16];
    private int outLen;
    private byte[] key = new byte[64];
    private int keyLen;
    private int pos;
    private byte[] b;
    private int end;
    private Status error;
    private int errorAt;
    // extractLine: the line's end is not known in advance; a raw newline ends it
    private boolean unbounded;
    private int dataEnd;
    private int lineEnd;

    public JsonTextField(String fieldName) {
        this.field = fieldName.getBytes(StandardCharsets.UTF_8);
    }

    /** Decoded UTF-8 bytes of the field after {@link Status#OK}: {@code buffer()[0, length())}. */
    public byte[] buffer() {
        return out;
    }

    public int length() {
        return outLen;
    }

    /** Byte offset (from the line start) where a NOT_JSON / INVALID_UTF8 problem was found. */
    public int errorOffset() {
        return errorAt;
    }

    /** Parses {@code line[start, end)}; on OK the decoded text is in {@link #buffer()}. */
    public Status extract(byte[] line, int start, int stop) {
        unbounded = false;
        if (out.length < stop - start) {
            out = new byte[Math.max(stop - start, out.length * 2)]; // decoded is never longer than encoded
        }
        return parse(line, start, stop);
    }

    /**
     * Parses the line that starts at {@code start} in {@code data[start, limit)} without its end being known:
     * the line ends at the first {@code \n} (or at {@code limit}), and finding that newline is part of this one
     * pass instead of a separate search. Answers {@link Status#OK}, with {@link #lineEnd()}, only where the line
     * is at most {@code maxLineBytes} long and {@link #extract} on it ({@code [start, lineEnd())} less a trailing
     * {@code \r}) would answer OK with the same text; answers {@code null} otherwise (a bad, unusual or overlong
     * line), and the caller then finds the line's end itself and calls {@link #extract} for the exact answer.
     * Reads at most {@code maxLineBytes + 1} bytes, and decodes no more.
     */
    public Status extractLine(byte[] data, int start, int limit, int maxLineBytes) {
        unbounded = true;
        dataEnd = limit;
        Status st = parse(data, start, (int) Math.min(limit, (long) start + maxLineBytes + 1));
        unbounded = false;
        return st == Status.OK ? st : null;
    }

    /** After {@link #extractLine} answered OK: the index of the line's {@code \n}, or the limit if none. */
    public int lineEnd() {
        return lineEnd;
    }

    private Status parse(byte[] line, int start, int stop) {
        b = line;
        pos = start;
        end = stop;
        error = null;
        boolean found = false;
        boolean notString = false;
        try {
            ws();
            expect('{');
            ws();
            if (peek() == '}') {
                pos++;
            } else {
                while (true) {
                    expect('"');
                    readKey();
                    ws();
                    expect(':');
                    ws();
                    boolean wanted =
                            keyLen == field.length && java.util.Arrays.equals(key, 0, keyLen, field, 0, field.length);
                    if (wanted && peek() == '"') {
                        pos++;
                        outLen = 0;
                        decodeString();
                        found = true;
                        notString = false;
                    } else {
                        if (wanted) {
                            notString = true;
                            found = false;
                        }
                        skipValue();
                    }
                    ws();
                    int c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        fail(Status.NOT_JSON, pos - 1);
                    }
                    ws();
                }
            }
            ws();
            if (unbounded ? (pos < end ? b[pos] != '\n' : pos != dataEnd) : pos != end) {
                fail(Status.NOT_JSON, pos);
            }
            lineEnd = pos;
        } catch (Bad e) {
            errorAt = errorAt - start;
            return error;
        }
        if (found) {
            return Status.OK;
        }
        return notString ? Status.FIELD_NOT_STRING : Status.NO_FIELD;
    }

    /** Thrown internally to unwind on the first problem; preallocated, no stack trace. */
    private static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bad() {
            super(null, null, false, false);
        }
    }

    private static final Bad BAD = new Bad();

    private void fail(Status s, int at) {
        error = s;
        errorAt = at;
        throw BAD;
    }

    private int peek() {
        return pos < end ? b[pos] & 0xff : -1;
    }

    private int next() {
        if (pos >= end) {
            fail(Status.NOT_JSON, pos);
        }
        return b[pos++] & 0xff;
    }

    private void expect(char c) {
        if (pos >= end || b[pos] != c) {
            fail(Status.NOT_JSON, pos);
        }
        pos++;
    }

    private void ws() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\r' && (c != '\n' || unbounded)) {
                return;
            }
            pos++;
        }
    }

    /** Reads a key (after its opening quote) into {@code key}, decoding escapes. */
    private void readKey() {
        int saveLen = outLen;
        byte[] saveOut = out;
        int from = pos;
        // fast path: no escape
        while (pos < end && STR[b[pos] & 0xff] == PLAIN) {
            pos++;
        }
        if (pos < end && b[pos] == '"') {
            setKey(b, from, pos - from);
            pos++;
            return;
        }
        pos = from;
        out = new byte[Math.min(end - from, 64)]; // grows while decoding
        outLen = 0;
        decodeString();
        setKey(out, 0, outLen);
        out = saveOut;
        outLen = saveLen;
    }

    private void setKey(byte[] src, int off, int len) {
        if (key.length < len) {
            key = new byte[len];
        }
        System.arraycopy(src, off, key, 0, len);
        keyLen = len;
    }

    /** Decodes a string body (after the opening quote) into {@code out}, consuming the closing quote. */
    private void decodeString() {
        byte[] o = out;
        int ol = outLen;
        while (true) {
            int from = pos;
            pos = plainRunEnd(b, pos, end);
            int run = pos - from;
            if (ol + run + 4 > o.length) {
                // only after extractLine, whose line length is not known in advance (4: the most one step adds)
                out = o = java.util.Arrays.copyOf(o, Math.max(ol + run + 4, 2 * o.length));
            }
            System.arraycopy(b, from, o, ol, run);
            ol += run;
            if (pos >= end) {
                fail(Status.NOT_JSON, pos);
            }
            byte c = STR[b[pos] & 0xff];
            if (c == QUOTE) {
                pos++;
                outLen = ol;
                return;
            }
            if (c == HIGH) {
                int n = utf8Length(pos);
                System.arraycopy(b, pos, o, ol, n);
                ol += n;
                pos += n;
            } else if (c == NEWLINE) {
                rawNewline();
                o[ol++] = '\n';
            } else {
                ol = unescape(o, ol);
            }
        }
    }

    /**
     * The end of the run of {@link #PLAIN} string bytes (not {@code "}, not a backslash, not a newline, ASCII)
     * starting at {@code i}: 8 bytes per step (SWAR). A quote, backslash or newline is a zero byte of
     * {@code word ^ 0x22…}, {@code word ^ 0x5C…} resp. {@code word ^ 0x0A…} (flagged by
     * {@code (v - 0x01…) & ~v & 0x80…}, exact at the lowest flag), a non-ASCII byte has its high bit set; the
     * lowest flag of the four is the first non-plain byte.
     */
    static int plainRunEnd(byte[] b, int i, int end) {
        while (i + 8 <= end) {
            long w = (long) LONG.get(b, i);
            long q = w ^ 0x2222222222222222L;
            long s = w ^ 0x5C5C5C5C5C5C5C5CL;
            long n = w ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (((q - 0x0101010101010101L) & ~q)
                            | ((s - 0x0101010101010101L) & ~s)
                            | ((n - 0x0101010101010101L) & ~n)
                            | w)
                    & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
            i += 8;
        }
        while (i < end && STR[b[i] & 0xff] == PLAIN) {
            i++;
        }
        return i;
    }

    /** A raw newline in a string: the end of the line for {@link #extractLine}, else a tolerated control byte. */
    private void rawNewline() {
        if (unbounded) {
            fail(Status.NOT_JSON, pos);
        }
        pos++;
    }

    /** Skips a string body (after the opening quote), checking escapes and UTF-8. */
    private void skipString() {
        while (true) {
            pos = plainRunEnd(b, pos, end);
            if (pos >= end) {
                fail(Status.NOT_JSON, pos);
            }
            byte c = STR[b[pos] & 0xff];
            if (c == QUOTE) {
                pos++;
                return;
            }
            if (c == HIGH) {
                pos += utf8Length(pos);
            } else if (c == NEWLINE) {
                rawNewline();
            } else {
                pos++;
                int e = next();
                if (e == 'u') {
                    hex4();
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    fail(Status.NOT_JSON, pos - 1);
                }
            }
        }
    }

    /** Decodes the escape at {@code pos} (a backslash) into {@code o} at {@code ol}; returns the new length. */
    private int unescape(byte[] o, int ol) {
        pos++;
        int e = next();
        switch (e) {
            case '"':
                o[ol] = '"';
                return ol + 1;
            case '\\':
                o[ol] = '\\';
                return ol + 1;
            case '/':
                o[ol] = '/';
                return ol + 1;
            case 'b':
                o[ol] = '\b';
                return ol + 1;
            case 'f':
                o[ol] = '\f';
                return ol + 1;
            case 'n':
                o[ol] = '\n';
                return ol + 1;
            case 'r':
                o[ol] = '\r';
                return ol + 1;
            case 't':
                o[ol] = '\t';
                return ol + 1;
            case 'u':
                return codePoint(o, ol);
            default:
                fail(Status.NOT_JSON, pos - 1);
                return ol;
        }
    }

    private int codePoint(byte[] o, int ol) {
        int cp = hex4();
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            // a high surrogate: combine with a following low surrogate escape, else U+FFFD
            if (pos + 6 <= end && b[pos] == '\\' && b[pos + 1] == 'u') {
                int save = pos;
                pos += 2;
                int lo = hex4();
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                    pos = save;
                    cp = 0xFFFD;
                }
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        return putUtf8(o, ol, cp);
    }

    private static int putUtf8(byte[] o, int ol, int cp) {
        if (cp < 0x80) {
            o[ol] = (byte) cp;
            return ol + 1;
        }
        if (cp < 0x800) {
            o[ol] = (byte) (0xC0 | (cp >> 6));
            o[ol + 1] = (byte) (0x80 | (cp & 0x3F));
            return ol + 2;
        }
        if (cp < 0x10000) {
            o[ol] = (byte) (0xE0 | (cp >> 12));
            o[ol + 1] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            o[ol + 2] = (byte) (0x80 | (cp & 0x3F));
            return ol + 3;
        }
        o[ol] = (byte) (0xF0 | (cp >> 18));
        o[ol + 1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        o[ol + 2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        o[ol + 3] = (byte) (0x80 | (cp & 0x3F));
        return ol + 4;
    }

    private int hex4() {
        if (pos + 4 > end) {
            fail(Status.NOT_JSON, pos);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(b[pos + i], 16);
            if (d < 0) {
                fail(Status.NOT_JSON, pos + i);
            }
            v = (v << 4) | d;
        }
        pos += 4;
        return v;
    }

    /** Length of the valid UTF-8 sequence at {@code p} (a byte >= 0x80), or fails with INVALID_UTF8. */
    private int utf8Length(int p) {
        int lead = b[p] & 0xff;
        int n;
        int min;
        if (lead >= 0xC2 && lead <= 0xDF) {
            n = 2;
            min = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 3;
            min = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 4;
            min = 0x10000;
        } else {
            fail(Status.INVALID_UTF8, p);
            return 0;
        }
        if (p + n > end) {
            fail(Status.INVALID_UTF8, p);
        }
        int cp = lead & (0xFF >> (n + 1));
        for (int i = 1; i < n; i++) {
            int c = b[p + i] & 0xff;
            if ((c & 0xC0) != 0x80) {
                fail(Status.INVALID_UTF8, p);
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            fail(Status.INVALID_UTF8, p);
        }
        return n;
    }

    private void skipValue() {
        int c = peek();
        if (c == '"') {
            pos++;
            skipString();
        } else if (c == '{' || c == '[') {
            skipNested();
        } else {
            skipScalar();
        }
    }

    private void skipScalar() {
        int from = pos;
        while (pos < end) {
            int c = b[pos] & 0xff;
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '+' || c == '.' || c == 'E';
            if (!ok) {
                break;
            }
            pos++;
        }
        if (pos == from) {
            fail(Status.NOT_JSON, pos);
        }
    }

    private void skipNested() {
        int depth = 0;
        while (pos < end) {
            int c = b[pos] & 0xff;
            if (c == '"') {
                pos++;
                skipString();
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    pos++;
                    return;
                }
            } else if (c >= 0x80 || (c == '\n' && unbounded)) {
                fail(Status.NOT_JSON, pos);
            }
            pos++;
        }
        fail(Status.NOT_JSON, pos);
    }
}
