package org.unmask.corpus.count;

/**
 * Streaming UTF-8 validation of plain-text input fed in chunks (sequences may span chunks); rejects overlong
 * forms, surrogates and code points above U+10FFFF, like the JSON extractor does.
 */
final class Utf8Checker {
    private int need;
    private int cp;
    private int min;
    private long lines = 1;

    /** Checks a chunk; returns the 1-based line of its first invalid byte, or 0 when the chunk is valid. */
    long check(byte[] b, int off, int len) {
        long firstBad = 0;
        for (int i = off; i < off + len; i++) {
            int c = b[i];
            if (c == '\n') {
                lines++;
            }
            if (need == 0) {
                if (c >= 0) {
                    continue;
                }
                int u = c & 0xff;
                if (u >= 0xC2 && u <= 0xDF) {
                    need = 1;
                    cp = u & 0x1F;
                    min = 0x80;
                } else if (u >= 0xE0 && u <= 0xEF) {
                    need = 2;
                    cp = u & 0x0F;
                    min = 0x800;
                } else if (u >= 0xF0 && u <= 0xF4) {
                    need = 3;
                    cp = u & 0x07;
                    min = 0x10000;
                } else if (firstBad == 0) {
                    firstBad = lines;
                }
            } else if ((c & 0xC0) == 0x80) {
                cp = (cp << 6) | (c & 0x3F);
                if (--need == 0 && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) && firstBad == 0) {
                    firstBad = lines;
                }
            } else {
                need = 0;
                if (firstBad == 0) {
                    firstBad = lines;
                }
                i--; // re-read this byte as the start of a new sequence
                if (c == '\n') {
                    lines--;
                }
            }
        }
        return firstBad;
    }

    boolean endsInsideSequence() {
        return need != 0;
    }

    long lines() {
        return lines;
    }
}
