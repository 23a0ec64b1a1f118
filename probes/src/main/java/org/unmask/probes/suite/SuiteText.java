package org.unmask.probes.suite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.unmask.core.error.InvalidInputException;

/**
 * Reads the text of suite and term files defensively: never more than a cap into memory (a suite may name
 * {@code /dev/zero}), and strictly as UTF-8 (a Latin-1 "café" must not become "caf\uFFFD" and be audited so).
 */
final class SuiteText {
    private SuiteText() {}

    /**
     * The bytes of {@code file}, at most {@code cap}.
     *
     * @param what how messages name the file, e.g. {@code s.yaml:5: term file jobs.txt}
     * @throws InvalidInputException when the file holds more than {@code cap} bytes
     * @throws IOException when it cannot be read
     */
    static byte[] read(Path file, int cap, String what) throws IOException, InvalidInputException {
        try (InputStream in = Files.newInputStream(file)) {
            // one byte past the cap tells "exactly at the cap" from "over it" without reading the rest
            byte[] bytes = in.readNBytes(cap + 1);
            if (bytes.length > cap) {
                throw new InvalidInputException(
                        what + " is larger than " + size(cap),
                        "suite and term files are small text files; split the list or keep it under " + size(cap));
            }
            return bytes;
        }
    }

    /**
     * {@code bytes} decoded as UTF-8, or an error naming {@code where}, the line of the first undecodable byte and
     * the byte itself.
     */
    static String utf8(byte[] bytes, String where) throws InvalidInputException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            throw new InvalidInputException(
                    where + ":" + lineOf(bytes, at) + ": not UTF-8 text (byte 0x"
                            + String.format("%02X", bytes[Math.min(at, bytes.length - 1)] & 0xff) + " at offset " + at
                            + ")",
                    "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
        }
        return out.flip().toString();
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String size(int bytes) {
        return bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MiB" : bytes + " bytes";
    }
}
