package org.unmask.corpus.scan;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads {@code \n}-terminated lines from a stream into one reusable buffer, in bounded memory: a line longer
 * than {@code maxLineBytes} is not buffered but skipped up to its newline and reported by {@link #next()} as
 * {@link #OVERLONG}.
 */
public final class LineReader {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** {@link #next()} result: a line is available in {@link #buffer()}{@code [start(), end())}. */
    public static final int LINE = 1;
    /** {@link #next()} result: a line longer than the cap was skipped; its length is {@link #skippedBytes()}. */
    public static final int OVERLONG = 2;
    /** {@link #next()} result: end of input. */
    public static final int EOF = 0;

    private final InputStream in;
    private final int max;
    private byte[] buf;
    private int start;
    private int end;
    private int fill;
    private int scan;
    private boolean eof;
    private long lineNo;
    private long skipped;
    private long bytes;
    private final boolean whole;

    public LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.max = maxLineBytes;
        this.buf = new byte[Math.min(1 << 20, maxLineBytes + 1)];
        this.whole = false;
    }

    /**
     * Reads the lines of {@code data[0, length)} in place, without copying (a shard already decoded in memory);
     * lines longer than the cap are reported as {@link #OVERLONG} exactly as from a stream.
     */
    public LineReader(byte[] data, int length, int maxLineBytes) {
        this.in = InputStream.nullInputStream();
        this.max = maxLineBytes;
        this.buf = data;
        this.fill = length;
        this.eof = true;
        this.whole = true;
    }

    /** True for a reader over data held whole in memory, where {@link #nextEndingAt} may be used. */
    public boolean whole() {
        return whole;
    }

    /** Where the next line starts; equal to {@link #limit()} at the end of the data. */
    public int nextStart() {
        return scan;
    }

    /** The end of the data in {@link #buffer()} (for a reader over data held whole). */
    public int limit() {
        return fill;
    }

    /**
     * Like {@link #next()}, for a reader over data held whole, when the caller has already found the next line's
     * end while reading it: {@code lineEnd} must be the index of the first {@code \n} at or after
     * {@link #nextStart()}, or {@link #limit()} if there is none (and the line is not empty). The result and
     * everything reported afterwards are those of {@link #next()}.
     */
    public int nextEndingAt(int lineEnd) {
        if (!whole || lineEnd < scan || lineEnd > fill || (lineEnd == fill && scan == fill)) {
            throw new IllegalStateException("not the end of the next line: " + lineEnd);
        }
        start = scan;
        return emit(lineEnd, lineEnd < fill ? lineEnd + 1 : fill);
    }

    public byte[] buffer() {
        return buf;
    }

    public int start() {
        return start;
    }

    /** End of the line, excluding the newline (and a trailing {@code \r}). */
    public int end() {
        return end;
    }

    /** 1-based number of the line last returned. */
    public long lineNumber() {
        return lineNo;
    }

    public long skippedBytes() {
        return skipped;
    }

    /** Uncompressed bytes consumed so far (lines with their newlines). */
    public long bytesRead() {
        return bytes;
    }

    /** Advances to the next line; see the result constants. A final line without newline counts as a line. */
    public int next() throws IOException {
        start = scan;
        while (true) {
            int nl = indexOfNewline(scan, fill);
            if (nl >= 0) {
                return emit(nl, nl + 1);
            }
            scan = fill;
            if (eof) {
                if (start == fill) {
                    return EOF;
                }
                return emit(fill, fill);
            }
            if (fill - start > max) {
                return skipOverlong();
            }
            refill();
        }
    }

    private int emit(int lineEnd, int next) {
        lineNo++;
        int e = lineEnd;
        if (e > start && buf[e - 1] == '\r') {
            e--;
        }
        if (lineEnd - start > max) {
            skipped = next - start;
            bytes += next - start;
            scan = next;
            start = next;
            return OVERLONG;
        }
        end = e;
        bytes += next - start;
        scan = next;
        return LINE;
    }

    /**
     * The first {@code \n} in {@code a[from, to)}, or -1: 8 bytes per step (SWAR). {@code (v - 0x01…) & ~v & 0x80…}
     * with {@code v = word ^ 0x0A…} flags a zero byte of {@code v}, i.e. a newline; borrows can only add false
     * flags above a true one, so the lowest flag is exact.
     */
    static int indexOf(byte[] a, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            long v = (long) LONG.get(a, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (v - 0x0101010101010101L) & ~v & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
            i += 8;
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private int indexOfNewline(int from, int to) {
        return indexOf(buf, from, to);
    }

    /** Makes room (compact or grow up to the cap) and reads more input. */
    private void refill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, fill - start);
            fill -= start;
            scan -= start;
            start = 0;
        }
        if (fill == buf.length) {
            int size = (int) Math.min((long) max + 1, (long) buf.length * 2);
            byte[] nb = new byte[Math.max(size, buf.length + 1)];
            System.arraycopy(buf, 0, nb, 0, fill);
            buf = nb;
        }
        int n = in.read(buf, fill, buf.length - fill);
        if (n < 0) {
            eof = true;
        } else {
            fill += n;
        }
    }

    /** Discards input up to and including the next newline. */
    private int skipOverlong() throws IOException {
        long count = fill - start;
        fill = 0;
        scan = 0;
        start = 0;
        while (true) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                break;
            }
            int nl = indexOf(buf, 0, n);
            if (nl >= 0) {
                count += nl + 1;
                // keep the rest for the next line
                System.arraycopy(buf, nl + 1, buf, 0, n - nl - 1);
                fill = n - nl - 1;
                break;
            }
            count += n;
        }
        lineNo++;
        skipped = count;
        bytes += count;
        return OVERLONG;
    }
}
