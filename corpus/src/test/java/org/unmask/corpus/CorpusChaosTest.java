package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;
import org.unmask.corpus.output.StatsReport;

/**
 * Chaos test of the local engine's crash safety: a multi-shard run in a child JVM is killed with SIGKILL at seeded
 * random points (a few milliseconds after a seeded number of checkpoints) several times and then allowed to
 * finish; its outputs must equal those of an uninterrupted run exactly. Seed override:
 * {@code -Dunmask.chaos.seed=N}.
 */
class CorpusChaosTest {
    private static final long SEED = Long.getLong("unmask.chaos.seed", 14L);
    private static final int SHARDS = 24;
    private static final int KILLS = 5;
    /** Fields of corpus-stats.json that depend only on the input and the counting, not on the run's history. */
    private static final List<String> COUNTED =
            List.of("schema", "status", "spec", "totals", "summary", "occupations", "skipped");

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverythingStarted() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard only; it takes well under a minute
    void killedRunsResumeToTheTotalsOfAnUninterruptedRun() throws Exception {
        Path corpus = tmp.resolve("corpus");
        buildCorpus(corpus);
        Path reference = tmp.resolve("reference");
        CorpusRun clean = new LocalEngine(CountingSpec.defaults(WordListLoader.builtIn()), new LocalOptions(2, null, 0))
                .run(CorpusFiles.list(corpus), reference);
        new StatsReport(clean).write(reference);
        assertEquals(CorpusRun.Status.PARTIAL, clean.status()); // the corpus has bad lines and a truncated shard

        SplittableRandom random = new SplittableRandom(SEED);
        Path out = tmp.resolve("chaos");
        StringBuilder log = new StringBuilder("seed " + SEED + ":");
        int killedAlive = 0;
        for (int k = 0; k < KILLS; k++) {
            Process child = start(corpus, out, k);
            // kill once this run has checkpointed a few more shards, plus a few ms so that it lands mid-shard too
            int target = checkpoints(out) + 1 + random.nextInt(SHARDS / KILLS);
            long extraMs = random.nextInt(15);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (child.isAlive() && checkpoints(out) < target) {
                assertTrue(System.nanoTime() < deadline, "child made no progress; " + log);
                Thread.sleep(1);
            }
            Thread.sleep(extraMs);
            boolean alive = child.isAlive();
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");
            killedAlive += alive ? 1 : 0;
            log.append(String.format(
                    " [kill %d at %d checkpoints + %d ms: %s, %d checkpoints]",
                    k, target, extraMs, alive ? "killed" : "had finished", checkpoints(out)));
        }
        Process last = start(corpus, out, KILLS);
        assertTrue(last.waitFor(60, TimeUnit.SECONDS), "final run did not finish; " + log);
        assertEquals(0, last.exitValue(), Files.readString(tmp.resolve("child-" + KILLS + ".log")) + log);
        System.out.println("CorpusChaosTest " + log); // where the kills landed, for a failure's reproduction
        assertTrue(killedAlive > 0, "no kill hit a running engine; " + log);

        ObjectMapper json = new ObjectMapper();
        JsonNode want = json.readTree(reference.resolve(StatsReport.JSON_FILE).toFile());
        JsonNode got = json.readTree(out.resolve(StatsReport.JSON_FILE).toFile());
        for (String field : COUNTED) {
            assertEquals(want.get(field), got.get(field), field + "; " + log);
        }
        assertEquals(
                want.path("provenance").path("files"), got.path("provenance").path("files"), log.toString());
        assertEquals(
                Files.readString(reference.resolve(StatsReport.CSV_FILE)),
                Files.readString(out.resolve(StatsReport.CSV_FILE)),
                log.toString());
    }

    private Process start(Path corpus, Path out, int index) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CorpusChild.class.getName(),
                corpus.toString(),
                out.toString(),
                "2");
        pb.redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child-" + index + ".log").toFile());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static int checkpoints(Path out) throws IOException {
        Path dir = out.resolve("shards");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int)
                    s.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        }
    }

    /**
     * {@value #SHARDS} shards of gutenberg-mini's documents in every format, one with bad lines and one truncated
     * {@code .gz}, so that skip reports are compared too.
     */
    private static void buildCorpus(Path root) throws IOException {
        List<String> lines = Fixtures.miniLines();
        String[] suffixes = {".jsonl.gz", ".jsonl.zst", ".jsonl", ".json.gz"};
        for (int i = 0; i < SHARDS; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = i % 2; j < lines.size(); j += 2) {
                sb.append(lines.get(j)).append('\n');
            }
            if (i == 5) {
                sb.append("not json\n{\"text\":7}\n");
            }
            byte[] content = sb.toString().getBytes(StandardCharsets.UTF_8);
            Path f = root.resolve(String.format("part-%d/shard-%02d%s", i % 4, i, suffixes[i % suffixes.length]));
            Fixtures.write(f, content);
            if (i == 8) {
                byte[] gz = Files.readAllBytes(f);
                Files.write(f, java.util.Arrays.copyOf(gz, gz.length / 2));
            }
        }
        Files.writeString(root.resolve("book.txt"), "The nurse said she was tired.\n\nHe is a doctor.\n");
    }
}
