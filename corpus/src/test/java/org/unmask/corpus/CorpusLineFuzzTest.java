package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.unmask.core.testing.Mutations;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.ShardProcessor;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.count.Skip;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.ShardFormat;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.scan.JsonTextField;
import org.unmask.corpus.scan.LineReader;

/**
 * Seeded fuzzing of the JSONL path ({@link LineReader}, {@link JsonTextField}, {@link ShardProcessor} and the
 * {@code .gz}/{@code .zst} readers) with core's {@link Mutations}: a bad line is counted as skipped at its
 * {@code file:line}, a good line is still counted, and nothing throws or hangs. Each test is bounded to a few
 * seconds; the timeouts are hang guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CorpusLineFuzzTest {
    private static final long SEED = 1414L;
    private static final List<String> GOOD = List.of(
            "{\"id\":\"1\",\"text\":\"The nurse said she was tired.\"}",
            "{\"text\":\"He is a doctor.\\n\\nHis sister is a nurse!\",\"meta\":{\"src\":[1,2.5e3,null,true]}}",
            "{\"id\":3, \"text\" : \"The doctors met the nurses and him. \\u00e9\\ud83d\\ude00 \\\"q\\\"\"}",
            "{\"meta\":{\"text\":{\"nested\":\"not this\"}},\"text\":\"The engineer said he would come.\"}",
            "{\"text\":\"caf\u00e9 \u4e2d\u6587 \\/ \\t tab\",\"n\":-0.5E-3,\"f\":false}");
    private static final int MAX_LINE = 1 << 12;

    private final CountingSpec spec = new CountingSpec(WordListLoader.builtIn(), 5, "text", MAX_LINE);
    private final ShardProcessor processor = new ShardProcessor(spec);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ShardResult process(String name, ShardFormat format, byte[] data) {
        return processor.process(name, format, new ByteArrayInputStream(data), ShardProcessor.Progress.NONE);
    }

    @Test
    void mutatedLinesAreSkippedAtTheirLineAndGoodLinesStillCount() {
        Mutations mutations = Mutations.ofText(SEED, GOOD.toArray(String[]::new));
        SplittableRandom random = new SplittableRandom(SEED);
        for (int shard = 0; shard < 400; shard++) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            Set<Long> goodLines = new HashSet<>();
            long line = 0;
            for (int i = 0; i < 10; i++) {
                byte[] piece;
                if (random.nextInt(3) == 0) {
                    piece = utf8(GOOD.get(random.nextInt(GOOD.size())));
                    goodLines.add(line + 1);
                } else {
                    piece = mutations.next();
                }
                data.writeBytes(piece);
                data.write('\n');
                line += 1 + count(piece, (byte) '\n'); // a mutation may insert newlines: more lines
            }
            byte[] bytes = data.toByteArray();
            String name = "fuzz/shard-" + shard + ".jsonl";
            ShardResult r = process(name, ShardFormat.JSONL, bytes);
            String where = name + ": " + new String(bytes, StandardCharsets.UTF_8);

            assertTrue(r.complete(), where);
            Counts c = r.counts();
            assertEquals(line, c.total(Total.LINES), where);
            assertEquals(line, c.total(Total.DOCUMENTS) + c.total(Total.SKIPPED_LINES) + blankLines(bytes), where);
            assertTrue(c.total(Total.DOCUMENTS) >= goodLines.size(), where);
            for (Skip s : r.skips()) {
                assertEquals(name, s.file(), where);
                assertTrue(s.line() >= 1 && s.line() <= line, s.describe() + " in " + where);
                assertFalse(goodLines.contains(s.line()), s.describe() + " is a good line in " + where);
                assertTrue(s.describe().startsWith(name + ":" + s.line() + ": "), s.describe());
            }
            // lines are independent: the shard counts exactly what its lines count one by one
            Counts sum = new Counts(c.occupations());
            int from = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    sum.add(process("one.jsonl", ShardFormat.JSONL, Arrays.copyOfRange(bytes, from, i + 1))
                            .counts());
                    from = i + 1;
                }
            }
            assertEquals(sum, c, where);
        }
    }

    @Test
    void theTextFieldIsExtractedExactlyWhereAStrictJsonParserFindsAStringField() throws Exception {
        ObjectMapper strict = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        JsonTextField field = new JsonTextField("text");
        Mutations mutations = Mutations.ofText(SEED + 1, GOOD.toArray(String[]::new));
        int[] ok = new int[1];
        mutations.forEach(3000, line -> {
            JsonTextField.Status st = field.extract(line, 0, line.length); // must not throw, whatever the bytes
            boolean located = st != JsonTextField.Status.NOT_JSON && st != JsonTextField.Status.INVALID_UTF8;
            assertTrue(located || field.errorOffset() >= 0 && field.errorOffset() <= line.length, st.name());
            String expected = jacksonText(strict, line);
            if (expected != null) {
                assertEquals(JsonTextField.Status.OK, st);
                assertArrayEquals(utf8(expected), Arrays.copyOf(field.buffer(), field.length()));
                ok[0]++;
            }
        });
        assertTrue(ok[0] > 100, "too few mutations stayed valid to compare: " + ok[0]);
    }

    /** The top-level "text" string as Jackson reads strictly valid UTF-8 JSON, lone surrogates as U+FFFD; or null. */
    private static String jacksonText(ObjectMapper strict, byte[] line) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line));
        } catch (CharacterCodingException e) {
            return null; // not valid UTF-8: Jackson is more lenient than the scanner about some sequences
        }
        try (JsonParser p = strict.createParser(line)) {
            JsonNode n = strict.readTree(p);
            if (n == null || !n.isObject() || !n.path("text").isTextual()) {
                return null;
            }
            String t = n.path("text").asText();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < t.length(); i++) {
                char ch = t.charAt(i);
                if (Character.isHighSurrogate(ch) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
                    sb.append(ch).append(t.charAt(++i));
                } else {
                    sb.append(Character.isSurrogate(ch) ? '\uFFFD' : ch);
                }
            }
            return sb.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Test
    void lineReaderSplitsLinesLikeAPlainSplitWhateverTheChunking() {
        Mutations mutations = Mutations.ofText(
                SEED + 2,
                "a\nbb\r\nccc\n\n\r\nlong line of text here\n",
                "x",
                "\n\n",
                "no newline at the end",
                "\r\r\n" + "y".repeat(40) + "\nz\n");
        SplittableRandom random = new SplittableRandom(SEED + 2);
        mutations.forEach(3000, data -> {
            int max = 1 + random.nextInt(24);
            LineReader reader = new LineReader(new ChunkedStream(data, random.split()), max);
            int from = 0;
            long bytes = 0;
            long lineNo = 0;
            try {
                while (from < data.length) {
                    int nl = indexOf(data, from);
                    int stop = nl < 0 ? data.length : nl;
                    int next = nl < 0 ? data.length : nl + 1;
                    lineNo++;
                    bytes += next - from;
                    int r = reader.next();
                    assertEquals(lineNo, reader.lineNumber());
                    if (stop - from > max) {
                        assertEquals(LineReader.OVERLONG, r, "line " + lineNo + ", max " + max);
                        assertEquals(next - from, reader.skippedBytes());
                    } else {
                        assertEquals(LineReader.LINE, r, "line " + lineNo + ", max " + max);
                        int end = stop > from && data[stop - 1] == '\r' ? stop - 1 : stop;
                        assertArrayEquals(
                                Arrays.copyOfRange(data, from, end),
                                Arrays.copyOfRange(reader.buffer(), reader.start(), reader.end()));
                    }
                    assertEquals(bytes, reader.bytesRead());
                    from = next;
                }
                assertEquals(LineReader.EOF, reader.next());
                assertEquals(LineReader.EOF, reader.next());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void corruptGzipAndZstdShardsKeepTheirCompleteLinesAndReportTheDamage() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append(GOOD.get(i % GOOD.size())).append('\n');
        }
        byte[] plain = utf8(text.toString());
        List<byte[]> gz = List.of(Fixtures.gzip(plain), Fixtures.gzip(utf8(GOOD.get(0) + "\n")));
        List<byte[]> zst = List.of(Zstd.compress(plain), Zstd.compress(utf8(GOOD.get(1) + "\n")));
        fuzzCompressed(ShardFormat.JSONL_GZ, new Mutations(SEED + 3, gz));
        fuzzCompressed(ShardFormat.JSONL_ZST, new Mutations(SEED + 4, zst));
    }

    private void fuzzCompressed(ShardFormat format, Mutations mutations) {
        int[] damaged = new int[1];
        mutations.forEach(1500, data -> {
            String name = "z/shard" + (format == ShardFormat.JSONL_GZ ? ".jsonl.gz" : ".jsonl.zst");
            ShardResult r = process(name, format, data);
            Counts c = r.counts();
            byte[] decoded = decodeAll(format, data);
            assertEquals(decoded != null, r.complete(), "complete exactly when the stream decodes");
            for (Skip s : r.skips()) {
                assertEquals(name, s.file());
                assertTrue(s.line() >= 1, s.describe());
            }
            if (decoded != null) {
                assertEquals(0, r.skipCounts().getOrDefault(Skip.Reason.CORRUPT_STREAM, 0L));
                long lines = count(decoded, (byte) '\n')
                        + (decoded.length > 0 && decoded[decoded.length - 1] != '\n' ? 1 : 0);
                assertEquals(lines, c.total(Total.LINES));
                assertEquals(lines, c.total(Total.DOCUMENTS) + c.total(Total.SKIPPED_LINES) + blankLines(decoded));
            } else {
                damaged[0]++;
                assertEquals(1L, r.skipCounts().get(Skip.Reason.CORRUPT_STREAM));
                Skip last = r.skips().stream()
                        .filter(s -> s.reason() == Skip.Reason.CORRUPT_STREAM)
                        .findFirst()
                        .orElseThrow(); // listed: at most a few lines are skipped before it
                assertEquals(c.total(Total.LINES) + 1, last.line(), "the damage is after the last line read");
            }
        });
        assertTrue(damaged[0] > 100, "the mutations rarely damaged a " + format + " stream: " + damaged[0]);
    }

    /** The whole decoded content, or null when the stream is corrupt or truncated. */
    private static byte[] decodeAll(ShardFormat format, byte[] data) {
        try (InputStream in = format.decode(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private static long count(byte[] b, byte x) {
        long n = 0;
        for (byte v : b) {
            n += v == x ? 1 : 0;
        }
        return n;
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Lines of {@code bytes} holding only blanks (spaces, tabs, CR), which are neither documents nor skipped. */
    private static long blankLines(byte[] bytes) {
        long n = 0;
        boolean blank = true;
        boolean open = false;
        for (byte b : bytes) {
            if (b == '\n') {
                n += blank ? 1 : 0;
                blank = true;
                open = false;
            } else {
                open = true;
                blank &= b == ' ' || b == '\t' || b == '\r';
            }
        }
        return n + (open && blank ? 1 : 0); // a last line without newline is a line too
    }

    /** Returns the data in seeded chunks of 0..7 bytes, as a decompressor or a socket may. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] data;
        private final SplittableRandom random;
        private int pos;

        ChunkedStream(byte[] data, SplittableRandom random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(7)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
