package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.unmask.core.testing.Mutations;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.ShardProcessor;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.input.GunzipPolicy;
import org.unmask.corpus.input.ShardFormat;
import org.unmask.corpus.input.WholeGzip;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.scan.JsonTextField;

/**
 * A shard decoded whole is read in one pass per line ({@link JsonTextField#extractLine} finds each line's end
 * while parsing it); streamed shards are split first, then parsed. Both must give the same counts and the same
 * skip reports, line numbers and details included, whatever the lines hold (raw newlines or carriage returns
 * inside strings, blank and overlong lines, no final newline).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WholeShardLinesTest {
    private static final long SEED = 1818L;
    private static final int MAX_LINE = 1024;
    private static final List<String> GOOD = List.of(
            "{\"id\":\"1\",\"text\":\"The nurse said she was tired.\"}",
            "{\"text\":\"He is a doctor.\\n\\nHis sister is a nurse!\",\"meta\":{\"src\":[1,2.5e3,null,true]}}",
            "{\"id\":3, \"text\" : \"The doctors met the nurses and him. \\u00e9\\ud83d\\ude00 \\\"q\\\"\"}  \r",
            "{\"meta\":{\"text\":{\"nested\":\"not this\"}},\"text\":\"The engineer said he would come.\"}",
            "{\"text\":\"caf\u00e9 \u4e2d\u6587 \\/ \\t tab\",\"n\":-0.5E-3,\"f\":false}",
            "{\"te\\u0078t\":\"an escaped key: the secretary and her boss\"}",
            "{\"text\":\"a raw\nnewline\"}",
            "{\"text\":\"a raw\rcarriage return, then the end\"}",
            "{\"a\":[\"x\",\n\"y\"],\"text\":\"split\"}",
            "",
            "   ",
            "{\"text\":\"" + "long ".repeat(250) + "\"}",
            "{\"text\":\"" + "x".repeat(MAX_LINE - 11) + "\"}",
            "{\"text\":\"" + "y".repeat(MAX_LINE - 10) + "\"}");

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static ShardResult process(ShardProcessor p, byte[] gz) {
        return p.process(
                "s.jsonl.gz", ShardFormat.JSONL_GZ, new ByteArrayInputStream(gz), ShardProcessor.Progress.NONE);
    }

    @Test
    void shardsReadWholeCountAndReportExactlyAsStreamedShards() throws IOException {
        assumeTrue(WholeGzip.available(), "ISA-L is not available here: only the streaming path exists");
        CountingSpec spec = new CountingSpec(WordListLoader.builtIn(), 5, "text", MAX_LINE);
        ShardProcessor whole = new ShardProcessor(spec, new GunzipPolicy(true, 64L << 20));
        ShardProcessor streamed = new ShardProcessor(spec, GunzipPolicy.jdk());
        Mutations mutations = Mutations.ofText(SEED, GOOD.toArray(String[]::new));
        SplittableRandom random = new SplittableRandom(SEED);
        for (int shard = 0; shard < 300; shard++) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            int lines = 1 + random.nextInt(12);
            for (int i = 0; i < lines; i++) {
                data.writeBytes(
                        random.nextBoolean()
                                ? GOOD.get(random.nextInt(GOOD.size())).getBytes(StandardCharsets.UTF_8)
                                : mutations.next());
                if (i < lines - 1 || random.nextBoolean()) {
                    data.writeBytes(random.nextInt(4) == 0 ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
                }
            }
            byte[] gz = gzip(data.toByteArray());
            String where = "shard " + shard + ": " + data.toString(StandardCharsets.UTF_8);
            ShardResult a = process(whole, gz);
            ShardResult b = process(streamed, gz);
            assertEquals(b.counts(), a.counts(), where);
            assertEquals(b.skips(), a.skips(), where);
            assertEquals(b.skipCounts(), a.skipCounts(), where);
            assertEquals(b.complete(), a.complete(), where);
        }
    }

    @Test
    void aLineParsedInOnePassIsTheLineParsedAfterSplitting() {
        JsonTextField once = new JsonTextField("text");
        JsonTextField split = new JsonTextField("text");
        Mutations mutations = Mutations.ofText(SEED + 1, GOOD.toArray(String[]::new));
        int[] ok = new int[1];
        mutations.forEach(5000, line -> {
            byte[] data = Arrays.copyOf(line, line.length + 3);
            data[line.length] = '\n';
            data[line.length + 1] = '{';
            data[line.length + 2] = '}';
            JsonTextField.Status st = once.extractLine(data, 0, data.length, MAX_LINE);
            if (st == null) {
                return;
            }
            int nl = firstNewline(data);
            assertEquals(nl, once.lineEnd());
            assertTrue(nl <= MAX_LINE);
            int e = nl > 0 && data[nl - 1] == '\r' ? nl - 1 : nl;
            assertEquals(JsonTextField.Status.OK, split.extract(data, 0, e));
            assertArrayEquals(
                    Arrays.copyOf(split.buffer(), split.length()), Arrays.copyOf(once.buffer(), once.length()));
            ok[0]++;
        });
        assertTrue(ok[0] > 100, "too few lines parsed in one pass: " + ok[0]);
    }

    @Test
    void aRawNewlineInsideAStringOrAnOverlongLineIsLeftToTheSplittingPath() {
        JsonTextField f = new JsonTextField("text");
        byte[] raw = "{\"text\":\"a\nb\"}\n".getBytes(StandardCharsets.UTF_8);
        assertNull(f.extractLine(raw, 0, raw.length, MAX_LINE));
        byte[] fine = "{\"text\":\"ab\"}\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(JsonTextField.Status.OK, f.extractLine(fine, 0, fine.length, MAX_LINE));
        assertNull(f.extractLine(fine, 0, fine.length, fine.length - 2)); // 13 bytes > 12
        assertEquals(JsonTextField.Status.OK, f.extractLine(fine, 0, fine.length, fine.length - 1));
    }

    private static int firstNewline(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return b.length;
    }
}
