package org.unmask.corpus.input;

import java.util.zip.CRC32;

/**
 * Inflates a whole single-member gzip file held in memory with ISA-L ({@link NativeInflater}), into a buffer
 * reused from file to file. It only answers when the result is certainly right: the header is plain, the DEFLATE
 * stream ends exactly before the 8-byte trailer, and the output matches the trailer's length and CRC-32.
 * Everything else (several members, a header CRC, damage, truncation, no ISA-L) answers -1, and the caller reads
 * the same bytes with {@code java.util.zip.GZIPInputStream} instead, so counts and error reports are the JDK's
 * whenever this class is unsure. Not thread-safe: one instance per thread.
 *
 * <p>One known difference, by construction of ISA-L's 8-byte read-ahead: bytes inserted between the end of the
 * DEFLATE stream and an intact trailer (the data, its CRC and its length all right) go unnoticed here, where
 * java.util.zip reports a corrupt trailer after the last line. Counts are the same when the shard ends with a
 * newline; only the "incomplete" mark differs. No compressor writes such files; they arise from byte insertion.
 */
public final class WholeGzip {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED = 0xE0;

    private byte[] out = new byte[0];

    /** True when ISA-L is loaded here (else every {@link #inflate} answers -1). */
    public static boolean available() {
        return NativeInflater.available();
    }

    /** Which decoder inflates {@code .gz} shards in this JVM, for benchmark and provenance lines. */
    public static String description() {
        return NativeInflater.description();
    }

    /** The decoded bytes after a successful {@link #inflate}: {@code buffer()[0, result)}. */
    public byte[] buffer() {
        return out;
    }

    /**
     * Decodes the gzip file {@code gz[0, len)} into {@link #buffer()}.
     *
     * @param maxOutput the most bytes the decoded file may take (the memory budget left after the input)
     * @return the decoded length, or -1 when the caller must use java.util.zip (see the class comment)
     */
    public int inflate(byte[] gz, int len, long maxOutput) {
        int start = headerEnd(gz, len);
        if (start < 0 || len - 8 <= start) {
            return -1;
        }
        long size = le32(gz, len - 4) & 0xFFFFFFFFL;
        // one spare byte: a stream longer than its trailer says (e.g. over 4 GiB) overflows into it and fails
        if (size + 1 > maxOutput || size + 1 > Integer.MAX_VALUE - 8) {
            return -1;
        }
        if (out.length < size + 1) {
            out = new byte[(int) size + 1];
        }
        int n = NativeInflater.inflateWhole(gz, start, len - 8 - start, out, (int) size + 1);
        if (n != size) {
            return -1;
        }
        CRC32 crc = new CRC32();
        crc.update(out, 0, n);
        return (int) crc.getValue() == le32(gz, len - 8) ? n : -1;
    }

    /** Offset of the DEFLATE data after a gzip member header (RFC 1952), or -1 for anything unusual. */
    static int headerEnd(byte[] b, int len) {
        if (len < 18 || (b[0] & 0xFF) != 0x1F || (b[1] & 0xFF) != 0x8B || b[2] != 8) {
            return -1;
        }
        int flags = b[3] & 0xFF;
        if ((flags & (RESERVED | FHCRC)) != 0) {
            return -1; // rare; the JDK checks the header CRC, so let it
        }
        int p = 10;
        if ((flags & FEXTRA) != 0) {
            if (p + 2 > len) {
                return -1;
            }
            p += 2 + (b[p] & 0xFF) + ((b[p + 1] & 0xFF) << 8);
        }
        if ((flags & FNAME) != 0) {
            p = afterZero(b, p, len);
        }
        if ((flags & FCOMMENT) != 0 && p >= 0) {
            p = afterZero(b, p, len);
        }
        return p >= 0 && p <= len ? p : -1;
    }

    private static int afterZero(byte[] b, int p, int len) {
        for (int i = p; i < len; i++) {
            if (b[i] == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }
}
