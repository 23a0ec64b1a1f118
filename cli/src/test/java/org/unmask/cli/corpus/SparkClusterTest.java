package org.unmask.cli.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;
import org.unmask.corpus.parquet.ParquetFixtures;

/**
 * {@code unmask corpus stats --spark spark://…} on a real Spark standalone cluster: a master and two workers as
 * separate JVMs on loopback, the application jar submitted in client mode through the CLI. The outputs equal the
 * local engine's on a nested multi-format corpus (.jsonl.gz, .jsonl.zst, .jsonl, snappy and zstd Parquet, with a
 * bad line and a null text); and equal again when a worker (with its executor) is killed mid-job: Spark retries
 * the lost shards and the driver keeps exactly one result per shard. Every process started is stopped at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class SparkClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHARDS = Pattern.compile("(\\d+)/(\\d+) shards");

    @TempDir
    static Path tmp;

    private static StandaloneCluster cluster;
    private static String master;
    private static Path corpus;
    private static Path local;

    static Path repositoryFile(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(relative))) {
                return p.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found: build the spark module first (mvn -pl cli -am"
                + " verify builds it before the CLI)");
    }

    @BeforeAll
    static void startClusterAndCountLocally() throws Exception {
        repositoryFile(SparkSubmission.APP_JAR);
        cluster = new StandaloneCluster(tmp.resolve("cluster"), repositoryFile(SparkSubmission.SPARK_CLASSPATH));
        master = cluster.start(2, "640m");
        corpus = mixedCorpus(tmp.resolve("corpus"));
        local = tmp.resolve("out-local");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(
                new String[] {"corpus", "stats", corpus.toString(), "--out", local.toString(), "--no-progress"},
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(ExitCode.PARTIAL.code(), rc, out + "\n" + err);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertTrue(cluster.allStopped(), "every master, worker and executor process is gone");
        }
    }

    /** Part of gutenberg-medium dealt into ten shards of five formats in nested folders; a bad line, a null text. */
    static Path mixedCorpus(Path root) throws IOException {
        List<String> lines = new ArrayList<>();
        Path medium = repositoryFile("shared/corpora/gutenberg-medium");
        try (var files = Files.list(medium)) {
            // two of its five shards (about 24 MB of text): enough for ten tasks, quick on two shared cores
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl.gz"))
                    .sorted()
                    .limit(2)
                    .toList()) {
                String all =
                        new String(new GZIPInputStream(Files.newInputStream(f)).readAllBytes(), StandardCharsets.UTF_8);
                lines.addAll(List.of(all.split("\n")));
            }
        }
        List<String> names = List.of(
                "a/s00.jsonl.gz",
                "a/b/s01.jsonl.zst",
                "s02.jsonl",
                "p/s03.parquet",
                "p/q/s04.parquet",
                "c/s05.json.gz",
                "c/d/s06.jsonl.zst",
                "p/s07.parquet",
                "s08.jsonl",
                "e/s09.jsonl.gz");
        List<List<String>> parts = new ArrayList<>();
        names.forEach(n -> parts.add(new ArrayList<>()));
        for (int i = 0; i < lines.size(); i++) {
            parts.get(i % names.size()).add(lines.get(i));
        }
        parts.get(2).add(5, "this line is not JSON");
        for (int i = 0; i < names.size(); i++) {
            Path f = root.resolve(names.get(i));
            Files.createDirectories(f.getParent());
            if (names.get(i).endsWith(".parquet")) {
                List<String> texts = new ArrayList<>();
                for (String l : parts.get(i)) {
                    JsonNode n = JSON.readTree(l);
                    texts.add(n.get("text").asText());
                }
                if (i == 3) {
                    texts.add(7, null);
                }
                ParquetFixtures.write(f, texts, i == 4 ? "zstd" : "snappy", 2 << 20);
                continue;
            }
            try (OutputStream raw = Files.newOutputStream(f)) {
                OutputStream o = f.toString().endsWith(".gz")
                        ? new GZIPOutputStream(raw)
                        : f.toString().endsWith(".zst") ? new ZstdOutputStream(raw) : raw;
                o.write((String.join("\n", parts.get(i)) + "\n").getBytes(StandardCharsets.UTF_8));
                o.close();
            }
        }
        return root;
    }

    /** Runs the CLI against the cluster; {@code onProgress} sees (done, total) of each progress line. */
    static int onCluster(Path out, StringWriter stdout, StringWriter stderr, ProgressHook onProgress) {
        Writer err = new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] c, int off, int len) {
                stderr.write(c, off, len);
                line.append(c, off, len);
                Matcher m = SHARDS.matcher(line);
                if (m.find()) {
                    onProgress.seen(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                    line.setLength(0);
                }
                if (line.length() > 10_000) {
                    line.setLength(0);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        return Main.run(
                new String[] {
                    "corpus",
                    "stats",
                    corpus.toString(),
                    "--out",
                    out.toString(),
                    "--spark",
                    master,
                    "--spark-conf",
                    "spark.executor.memory=512m",
                    "--spark-conf",
                    "spark.task.maxFailures=4"
                },
                new PrintWriter(stdout, true),
                new PrintWriter(err, true));
    }

    interface ProgressHook {
        void seen(int done, int total);
    }

    static void assertSameResults(Path spark, String log) throws IOException {
        assertEquals(
                Files.readString(local.resolve("occupations.csv")),
                Files.readString(spark.resolve("occupations.csv")),
                log);
        JsonNode l = JSON.readTree(local.resolve("corpus-stats.json").toFile());
        JsonNode s = JSON.readTree(spark.resolve("corpus-stats.json").toFile());
        for (String field : List.of("status", "spec", "totals", "summary", "occupations", "skipped")) {
            assertEquals(l.get(field), s.get(field), field + "\n" + log);
        }
        assertEquals("spark", s.get("run").get("engine").asText());
        assertEquals("partial", s.get("status").asText());
        assertEquals(
                2,
                s.get("totals").get("SKIPPED_LINES").asLong(),
                s.get("totals").toString());
    }

    @Test
    @Order(1)
    void theClusterCountsExactlyWhatTheLocalEngineCounts() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path spark = tmp.resolve("out-spark");
        int rc = onCluster(spark, out, err, (done, total) -> {});
        String log = out + "\n" + err;
        assertEquals(ExitCode.PARTIAL.code(), rc, log);
        assertTrue(err.toString().contains("10/10 shards"), "progress streamed:\n" + log);
        assertTrue(out.toString().contains("wrote " + spark.resolve("corpus-stats.json")), log);
        assertSameResults(spark, log);
    }

    @Test
    @Order(2)
    void aWorkerKilledMidJobLeavesTheTotalsExactlyTheSame() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path spark = tmp.resolve("out-spark-killed");
        int[] killedAt = {-1};
        int rc = onCluster(spark, out, err, (done, total) -> {
            if (killedAt[0] < 0 && done >= 1 && done < total) {
                killedAt[0] = done;
                try {
                    cluster.killWorker(0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        String log = out + "\n" + err + "\nmaster:\n" + cluster.log("master.log");
        assertTrue(killedAt[0] >= 1, "a worker was killed mid-job:\n" + log);
        assertEquals(ExitCode.PARTIAL.code(), rc, log);
        assertTrue(
                cluster.log("master.log").matches("(?s).*(Removing worker|worker-\\S+ \\S+ (lost|died)).*")
                        || err.toString().contains("Lost executor"),
                "Spark noticed the loss:\n" + log);
        assertSameResults(spark, log);
        System.out.println("worker killed after " + killedAt[0] + "/10 shards; totals unchanged");
    }
}
