package org.unmask.cli.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;
import org.unmask.core.testing.RealModel;

class CorpusStatsCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path corpus(boolean withBadLine) throws IOException {
        Path c = tmp.resolve("corpus");
        Files.createDirectories(c.resolve("sub"));
        Files.writeString(
                c.resolve("a.jsonl"), "{\"text\":\"The nurse said she was tired.\"}\n", StandardCharsets.UTF_8);
        Files.writeString(
                c.resolve("sub/b.jsonl"),
                "{\"text\":\"He is a doctor.\"}\n" + (withBadLine ? "{broken\n" : ""),
                StandardCharsets.UTF_8);
        return c;
    }

    @Test
    void exitsPartialAndNamesTheBadLine() throws IOException {
        Path c = corpus(true);
        int rc =
                run("corpus", "stats", c.toString(), "--out", tmp.resolve("out").toString(), "--no-progress");
        assertEquals(ExitCode.PARTIAL.code(), rc, err.toString());
        assertTrue(out.toString().contains("sub/b.jsonl:2: line is not a JSON object"), out.toString());
        assertTrue(Files.exists(tmp.resolve("out/corpus-stats.json")));
        assertTrue(Files.exists(tmp.resolve("out/occupations.csv")));
    }

    @Test
    void exitsOkOnCleanInputAndInterruptedWhenStoppedEarly() throws IOException {
        Path c = corpus(false);
        assertEquals(
                ExitCode.INTERRUPTED.code(),
                run(
                        "corpus",
                        "stats",
                        c.toString(),
                        "--out",
                        tmp.resolve("out").toString(),
                        "--no-progress",
                        "--threads",
                        "1",
                        "--stop-after-shards",
                        "1"));
        assertEquals(
                ExitCode.OK.code(),
                run("corpus", "stats", c.toString(), "--out", tmp.resolve("out").toString(), "--no-progress"),
                err.toString());
        assertTrue(out.toString().contains("(1 from checkpoints"), out.toString());
    }

    @Test
    void missingCorpusIsAOneLineError() {
        int rc = run(
                "corpus",
                "stats",
                tmp.resolve("nope").toString(),
                "--out",
                tmp.resolve("o").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), rc);
        assertTrue(err.toString().startsWith("error: corpus path"), err.toString());
        assertTrue(!err.toString().contains("Exception"), err.toString());
    }

    @Test
    void aRelativeSingleFileIsCounted() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "corpus-relative-" + System.nanoTime()));
        Path relative = dir.resolve("shard.jsonl");
        Files.writeString(relative, "{\"text\":\"The nurse said she was tired.\"}\n", StandardCharsets.UTF_8);
        try {
            int rc = run(
                    "corpus",
                    "stats",
                    relative.toString(),
                    "--out",
                    tmp.resolve("out").toString(),
                    "--no-progress");
            assertEquals(ExitCode.OK.code(), rc, err.toString());
        } finally {
            Files.deleteIfExists(relative);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aDanglingShardLinkExitsPartial() throws IOException {
        Path c = corpus(false);
        Files.createSymbolicLink(c.resolve("gone.jsonl.gz"), tmp.resolve("nowhere.jsonl.gz"));
        int rc =
                run("corpus", "stats", c.toString(), "--out", tmp.resolve("out").toString(), "--no-progress");
        assertEquals(ExitCode.PARTIAL.code(), rc, err.toString());
        assertTrue(out.toString().contains("gone.jsonl.gz: file could not be read"), out.toString());
    }

    @Test
    void aBrokenOccupationListIsAOneLineErrorWithFileAndLine() throws IOException {
        Path c = corpus(false);
        Path occ = tmp.resolve("occ.tsv");
        Files.writeString(occ, "nurse\t89.6\n|||\n");
        int rc = run(
                "corpus", "stats", c.toString(), "--out", tmp.resolve("o").toString(), "--occupations", occ.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), rc);
        assertTrue(err.toString().startsWith("error: " + occ + ":2: "), err.toString());
        assertTrue(!err.toString().contains("Exception"), err.toString());
    }

    @RealModel
    @Test
    void traceAuditsTheModelItselfWhenGivenOne() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            text.append(
                    "{\"text\":\"The nurse said she was tired. He is a doctor. The engineer said he would come.\"}\n");
        }
        Path c = Files.createDirectories(tmp.resolve("c"));
        Files.writeString(c.resolve("a.jsonl"), text.toString(), StandardCharsets.UTF_8);
        assertEquals(
                ExitCode.OK.code(),
                run(
                        "corpus",
                        "stats",
                        c.toString(),
                        "--out",
                        tmp.resolve("stats").toString(),
                        "--no-progress"),
                err.toString());
        int rc = run(
                "trace",
                "--corpus-stats",
                tmp.resolve("stats").toString(),
                "--model",
                "bert-base-uncased",
                "--out",
                tmp.resolve("trace").toString());
        assertEquals(ExitCode.OK.code(), rc, err.toString());
        assertTrue(Files.exists(tmp.resolve("trace/audit/result.json")), "the audit it ran is kept");
        assertTrue(Files.readString(tmp.resolve("trace/trace.json")).contains("nurse"));
    }
}
