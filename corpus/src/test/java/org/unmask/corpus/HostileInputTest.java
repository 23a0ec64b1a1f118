package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unmask.core.error.InvalidInputException;
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

/** Issue 14 item 8: what a careless or hostile user tried on {@code unmask corpus stats}. */
class HostileInputTest {
    @TempDir
    Path tmp;

    private static final String DOC = "{\"text\":\"The nurse said she was tired. He is a doctor.\"}\n";
    private final CountingSpec spec = CountingSpec.defaults(WordListLoader.builtIn());

    private CorpusRun run(Path corpus, Path out, int stopAfter) throws Exception {
        return new LocalEngine(spec, new LocalOptions(1, null, stopAfter)).run(CorpusFiles.list(corpus), out);
    }

    @Test
    void aRelativeSingleFilePathIsCounted() throws Exception {
        // tests run in the module folder; a relative path must be resolved against it, as a shell user expects
        Path dir = Path.of("target", "relative-" + UUID.randomUUID());
        try {
            Fixtures.write(dir.resolve("shard.jsonl.gz"), DOC.getBytes(StandardCharsets.UTF_8));
            Path relative = dir.resolve("shard.jsonl.gz");
            assertFalse(relative.isAbsolute());
            CorpusFiles.Listing listing = CorpusFiles.list(relative);
            assertEquals("shard.jsonl.gz", listing.shards().get(0).relative());
            CorpusRun r = run(relative, tmp.resolve("out"), 0);
            assertEquals(CorpusRun.Status.COMPLETE, r.status());
            assertEquals(1, r.totals().total(Total.DOCUMENTS));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void aDanglingShardLinkIsReportedAsUnreadableAndTheRunIsPartial() throws Exception {
        Path corpus = tmp.resolve("corpus");
        Fixtures.write(corpus.resolve("good.jsonl.gz"), DOC.getBytes(StandardCharsets.UTF_8));
        Path target = tmp.resolve("elsewhere/moved.jsonl.gz");
        Files.createSymbolicLink(corpus.resolve("gone.jsonl.gz"), target);

        CorpusRun r = run(corpus, tmp.resolve("out"), 0);
        assertEquals(CorpusRun.Status.PARTIAL, r.status());
        assertEquals(2, r.listing().shards().size());
        ShardResult gone = r.shards().stream()
                .filter(s -> s.file().equals("gone.jsonl.gz"))
                .findFirst()
                .orElseThrow();
        assertFalse(gone.complete());
        assertEquals(1L, gone.skipCounts().get(Skip.Reason.UNREADABLE));
        String summary = new StatsReport(r).summary(5, 20);
        assertTrue(summary.contains("gone.jsonl.gz: file could not be read (dangling symbolic link)"), summary);
        assertTrue(summary.contains("PARTIAL"), summary);

        // once the link points somewhere again the next run reads it: no checkpoint kept the failure
        Fixtures.write(target, DOC.getBytes(StandardCharsets.UTF_8));
        CorpusRun fixed = run(corpus, tmp.resolve("out"), 0);
        assertEquals(CorpusRun.Status.COMPLETE, fixed.status());
        assertEquals(2, fixed.totals().total(Total.DOCUMENTS));
    }

    @Test
    void outputFilesAreReadableByOthers() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"));
        Path corpus = tmp.resolve("corpus");
        Fixtures.write(corpus.resolve("a.jsonl"), DOC.getBytes(StandardCharsets.UTF_8));
        Path out = tmp.resolve("out");
        new StatsReport(run(corpus, out, 0)).write(out);
        List<Path> files;
        try (Stream<Path> s = Files.walk(out)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertEquals(3, files.size(), files.toString()); // json, csv, one checkpoint
        for (Path f : files) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
    }

    @Test
    void aResumedRunReportsTheThroughputOfTheBytesItReadItself() throws Exception {
        Path corpus = tmp.resolve("corpus");
        Fixtures.mixedTree(corpus);
        Path out = tmp.resolve("out");
        List<String> first =
                run(corpus, out, 5).shards().stream().map(ShardResult::file).toList();
        CorpusRun resumed = run(corpus, out, 0);
        assertEquals(5, resumed.reusedShards());
        ShardResult recounted = resumed.shards().stream()
                .filter(s -> !first.contains(s.file()))
                .findFirst()
                .orElseThrow();
        long own = recounted.counts().total(Total.INPUT_BYTES);
        assertEquals(own, resumed.bytesThisRun());
        assertTrue(own < resumed.totals().total(Total.INPUT_BYTES));
        StatsReport report = new StatsReport(resumed);
        assertEquals(own / 1e6 / resumed.seconds(), report.mbPerSecond(), 1e-9 * report.mbPerSecond());
        assertEquals(
                own, report.json().path("run").path("uncompressedBytesThisRun").asLong());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"nurse\t89\ndoctor\nnurse\t90\n", "nurse\n|||\n", "nurse\ndoctor|\n", "nurse|nurses\nnurses\n"})
    void aRepeatedOccupationOrAnEmptyFormIsAnErrorNamingTheLine(String content) throws Exception {
        Path f = tmp.resolve("occ.tsv");
        Files.writeString(f, content);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> WordListLoader.load(f, null));
        int bad = content.split("\n").length;
        assertTrue(e.getMessage().startsWith(f + ":" + bad + ": "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"150", "-1", "NaN", "Infinity", "1e309", "lots"})
    void aPercentageOutsideZeroToHundredIsAnErrorNamingTheLine(String pct) throws Exception {
        Path f = tmp.resolve("occ.tsv");
        Files.writeString(f, "occupation\tpct_female\nnurse\t89.6\ndoctor\t" + pct + "\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> WordListLoader.load(f, null));
        assertTrue(e.getMessage().startsWith(f + ":3: pct_female '" + pct + "'"), e.getMessage());
    }

    @Test
    void validOccupationListsStillLoad() throws Exception {
        Path f = tmp.resolve("occ.tsv");
        Files.writeString(f, "occupation\tpct_female\n# comment\nnurse\t0\ndoctor\t100\nchairman|chairmen\n\n");
        assertEquals(
                List.of("nurse", "doctor", "chairman"),
                WordListLoader.load(f, null).occupations().stream()
                        .map(o -> o.name())
                        .toList());
    }
}
