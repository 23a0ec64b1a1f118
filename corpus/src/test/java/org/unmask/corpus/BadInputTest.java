package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.count.Skip;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;
import org.unmask.corpus.output.StatsReport;

class BadInputTest {
    @TempDir
    Path tmp;

    private static final String GOOD1 = "{\"id\":\"1\",\"text\":\"The nurse said she was tired.\"}";
    private static final String GOOD2 = "{\"id\":\"2\",\"text\":\"He is a doctor.\\n\\nHis sister is a nurse!\"}";
    private static final String GOOD3 = "{\"id\":\"3\",\"text\":\"The doctors met the nurses and him.\"}";

    private CorpusRun run(Path corpus, int maxLine) throws Exception {
        CountingSpec spec = new CountingSpec(WordListLoader.builtIn(), 5, "text", maxLine);
        return new LocalEngine(spec, new LocalOptions(2, null, 0)).run(CorpusFiles.list(corpus), tmp.resolve("out"));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void countsGoodLinesAndReportsEveryBadLineByFileAndLine() throws Exception {
        Path corpus = tmp.resolve("corpus");
        byte[] overlong = utf8("{\"text\":\"" + "word ".repeat(400) + "\"}\n");
        byte[] bad = concat(
                utf8(GOOD1 + "\n" + "not json at all\n" + "{\"id\":\"no text\"}\n"),
                utf8("{\"text\":\"bad "),
                new byte[] {(byte) 0xC3, (byte) 0x28},
                utf8("\"}\n"),
                utf8("{\"text\":null}\n" + GOOD2 + "\n"),
                overlong,
                utf8("\n" + GOOD3 + "\n{\"text\":\"trunc"));
        Fixtures.write(corpus.resolve("deep/er/bad.jsonl.zst"), bad);
        // the clean equivalent: the same good documents only
        Path clean = tmp.resolve("clean");
        Fixtures.write(clean.resolve("c.jsonl"), utf8(GOOD1 + "\n" + GOOD2 + "\n" + GOOD3 + "\n"));

        CorpusRun r = run(corpus, 1024);
        CorpusRun c = new LocalEngine(
                        new CountingSpec(WordListLoader.builtIn(), 5, "text", 1024), new LocalOptions(1, null, 0))
                .run(CorpusFiles.list(clean), tmp.resolve("out-clean"));

        assertEquals(CorpusRun.Status.PARTIAL, r.status());
        assertEquals(3, r.totals().total(Total.DOCUMENTS));
        for (Total t : List.of(
                Total.TOKENS, Total.SENTENCES, Total.SENTENCES_BOTH, Total.MALE_TOKENS, Total.CONTEXT_TOKENS_FEMALE)) {
            assertEquals(c.totals().total(t), r.totals().total(t), t.name());
        }
        assertEquals(6, r.totals().total(Total.SKIPPED_LINES));
        String listed = r.shards().get(0).skips().stream().map(Skip::describe).collect(Collectors.joining("\n"));
        assertTrue(listed.contains("deep/er/bad.jsonl.zst:2: line is not a JSON object"), listed);
        assertTrue(listed.contains("deep/er/bad.jsonl.zst:3: document has no text field"), listed);
        assertTrue(listed.contains("deep/er/bad.jsonl.zst:4: invalid UTF-8"), listed);
        assertTrue(listed.contains("deep/er/bad.jsonl.zst:5: text field is not a string"), listed);
        assertTrue(listed.contains("deep/er/bad.jsonl.zst:7: line longer than the limit"), listed);
        assertTrue(listed.contains("deep/er/bad.jsonl.zst:10: line is not a JSON object"), listed);
        String summary = new StatsReport(r).summary(5, 20);
        assertTrue(summary.contains("deep/er/bad.jsonl.zst:4: invalid UTF-8"), summary);
        assertTrue(summary.contains("PARTIAL"), summary);
    }

    @Test
    void reportsCorruptAndTruncatedGzipShardsAndCountsTheOtherShards() throws Exception {
        Path corpus = tmp.resolve("corpus");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            many.append(i % 3 == 0 ? GOOD1 : i % 3 == 1 ? GOOD2 : GOOD3).append('\n');
        }
        byte[] gz = Fixtures.gzip(utf8(many.toString()));
        byte[] flipped = gz.clone();
        for (int i = gz.length / 2; i < gz.length / 2 + 64; i++) {
            flipped[i] ^= 0x5A;
        }
        Files.createDirectories(corpus.resolve("s"));
        Files.write(corpus.resolve("s/flipped.jsonl.gz"), flipped);
        Files.write(corpus.resolve("s/truncated.jsonl.gz"), Arrays.copyOf(gz, gz.length / 2));
        Files.write(corpus.resolve("s/not-gzip.jsonl.gz"), utf8(GOOD1 + "\n"));
        Fixtures.write(corpus.resolve("ok.jsonl.gz"), utf8(GOOD1 + "\n" + GOOD2 + "\n"));
        Fixtures.write(
                corpus.resolve("plain.txt"),
                concat(utf8(GOOD3 + "\nline two\n"), new byte[] {(byte) 0xFF}, utf8(" nurse she\n")));

        CorpusRun r = run(corpus, 1 << 20);
        assertEquals(CorpusRun.Status.PARTIAL, r.status());
        for (String f : List.of("s/flipped.jsonl.gz", "s/truncated.jsonl.gz", "s/not-gzip.jsonl.gz")) {
            ShardResult s = r.shards().stream()
                    .filter(x -> x.file().equals(f))
                    .findFirst()
                    .orElseThrow();
            assertFalse(s.complete(), f);
            assertEquals(1L, s.skipCounts().get(Skip.Reason.CORRUPT_STREAM), f);
            assertTrue(s.skips().get(0).line() >= 1, f);
            assertTrue(s.counts().total(Total.DOCUMENTS) < 20_000, f);
        }
        ShardResult ok = r.shards().stream()
                .filter(x -> x.file().equals("ok.jsonl.gz"))
                .findFirst()
                .orElseThrow();
        assertTrue(ok.complete());
        assertEquals(2, ok.counts().total(Total.DOCUMENTS));
        ShardResult txt = r.shards().stream()
                .filter(x -> x.file().equals("plain.txt"))
                .findFirst()
                .orElseThrow();
        assertEquals(1, txt.counts().total(Total.DOCUMENTS));
        assertEquals(
                new Skip("plain.txt", 3, Skip.Reason.INVALID_UTF8, "invalid bytes count as separators"),
                txt.skips().get(0));
        String summary = new StatsReport(r).summary(5, 20);
        assertTrue(summary.contains("s/not-gzip.jsonl.gz:1: corrupt or truncated compressed stream"), summary);
    }

    @Test
    void theDamageThatEndedAShardIsListedEvenAfterManySkippedLines() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            lines.append("not json\n");
        }
        for (int i = 0; i < 2000; i++) {
            lines.append(GOOD1).append('\n');
        }
        byte[] gz = Fixtures.gzip(utf8(lines.toString()));
        Path corpus = Files.createDirectories(tmp.resolve("corpus"));
        Files.write(corpus.resolve("cut.jsonl.gz"), Arrays.copyOf(gz, gz.length - 40));
        ShardResult r = run(corpus, 1 << 20).shards().get(0);
        assertFalse(r.complete());
        Skip last = r.skips().get(r.skips().size() - 1);
        assertEquals(Skip.Reason.CORRUPT_STREAM, last.reason(), last.describe());
        assertEquals(r.counts().total(Total.LINES) + 1, last.line());
    }
}
