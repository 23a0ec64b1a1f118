package org.unmask.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.TargetLean;
import org.unmask.core.result.TraceResult;
import org.unmask.core.stats.Estimate;
import org.unmask.core.testing.Results;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;
import org.unmask.corpus.output.StatsReport;
import org.unmask.corpus.trace.Trace;

/** The Spark job counts exactly what the local engine counts (one shared session: Spark start-up is slow). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkLocalEquivalenceTest {
    private static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("unmask-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop(); // idempotent
    }

    static Path miniShard() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/corpora/gutenberg-mini/gutenberg-mini-0000.jsonl.gz");
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        throw new IllegalStateException("shared/corpora/gutenberg-mini not found beside the repository: check out"
                + " the shared data folder as ../shared");
    }

    /** gutenberg-mini dealt into a nested tree of .gz / .zst / .jsonl files, plus one bad line and a README. */
    static Path mixedTree() throws IOException {
        Path root = tmp.resolve("corpus");
        String all = new String(
                new GZIPInputStream(Files.newInputStream(miniShard())).readAllBytes(), StandardCharsets.UTF_8);
        List<String> files =
                List.of("a/x0.jsonl.gz", "a/b/x1.jsonl.zst", "x2.jsonl", "c/d/e/x3.jsonl.zst", "c/x4.json.gz");
        List<StringBuilder> parts = new ArrayList<>();
        files.forEach(f -> parts.add(new StringBuilder()));
        String[] lines = all.split("\n");
        for (int i = 0; i < lines.length; i++) {
            parts.get(i % files.size()).append(lines[i]).append('\n');
        }
        parts.get(3).append("this line is not JSON\n{\"id\":\"no text\"}\n");
        for (int i = 0; i < files.size(); i++) {
            write(root.resolve(files.get(i)), parts.get(i).toString().getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(root.resolve("README.md"), "ignored\n");
        return root;
    }

    private static void write(Path f, byte[] content) throws IOException {
        Files.createDirectories(f.getParent());
        try (OutputStream raw = Files.newOutputStream(f)) {
            String n = f.getFileName().toString();
            OutputStream out = n.endsWith(".gz")
                    ? new GZIPOutputStream(raw)
                    : n.endsWith(".zst") ? new ZstdOutputStream(raw) : raw;
            out.write(content);
            out.close();
        }
    }

    @Test
    void sparkCountsEqualTheLocalEngineOnANestedMixedTree() throws Exception {
        Path corpus = mixedTree();
        CountingSpec spec = CountingSpec.defaults(WordListLoader.builtIn());
        CorpusRun local = new LocalEngine(spec, new LocalOptions(2, null, 0))
                .run(CorpusFiles.list(corpus), tmp.resolve("out-local"));
        CorpusRun onSpark = CorpusStatsJob.run(spark, corpus.toString(), spec);

        assertEquals(5, onSpark.shards().size());
        assertEquals(181, onSpark.totals().total(Total.DOCUMENTS));
        assertEquals(local.totals(), onSpark.totals());
        assertEquals(local.shards(), onSpark.shards()); // per-shard counts, skips with file:line, completeness
        assertEquals(CorpusRun.Status.PARTIAL, onSpark.status());
        assertEquals(2, onSpark.skipped());
        assertTrue(
                onSpark.shards().stream()
                        .anyMatch(r -> r.file().equals("c/d/e/x3.jsonl.zst")
                                && r.skips().get(0).line() == 37),
                onSpark.shards().toString());
    }

    @Test
    void aFileUriReadsThroughTheSameHadoopPathAsAnyObjectStore() throws Exception {
        Path corpus = tmp.resolve("corpus");
        if (!Files.exists(corpus)) {
            mixedTree();
        }
        CountingSpec spec = CountingSpec.defaults(WordListLoader.builtIn());
        CorpusRun plain = CorpusStatsJob.run(spark, corpus.toString(), spec);
        CorpusRun uri = CorpusStatsJob.run(spark, corpus.toUri().toString(), spec); // file:///…/corpus/
        assertTrue(corpus.toUri().toString().startsWith("file:/"));
        assertEquals(plain.totals(), uri.totals());
        assertEquals(plain.shards(), uri.shards()); // same relative names, same skips with file:line
    }

    /**
     * {@code unmask trace} takes corpus statistics from either engine: the Spark job's {@code corpus-stats.json}
     * (written as its main writes it, {@code "engine" : "spark"}) links to an audit exactly as the local one.
     */
    @Test
    void traceLinksTheSparkJobsCorpusStatsLikeTheLocalEngines() throws Exception {
        Path corpus = tmp.resolve("corpus");
        if (!Files.exists(corpus)) {
            mixedTree();
        }
        CountingSpec spec = CountingSpec.defaults(WordListLoader.builtIn());
        Path sparkOut = tmp.resolve("trace-spark");
        new StatsReport(CorpusStatsJob.run(spark, corpus.toString(), spec)).write(sparkOut);
        Path localOut = tmp.resolve("trace-local");
        new StatsReport(new LocalEngine(spec, new LocalOptions(2, null, 0)).run(CorpusFiles.list(corpus), localOut))
                .write(localOut);
        assertTrue(Files.readString(sparkOut.resolve("corpus-stats.json")).contains("\"engine\" : \"spark\""));
        Path audit = Results.write(
                tmp.resolve("audit"),
                Results.audit(
                        "m",
                        "s",
                        List.of(new LeanResult(
                                "pronoun-lean",
                                "pronoun-lean",
                                "log P(she) - log P(he)",
                                0,
                                "she",
                                "he",
                                "they",
                                "occupations",
                                "pct_female",
                                Double.NaN,
                                List.of(
                                        lean("nurse", 2.0),
                                        lean("doctor", -1.0),
                                        lean("teacher", 0.5),
                                        lean("engineer", -2.0)),
                                List.of(),
                                List.of(),
                                List.of()))));

        TraceResult fromSpark = Trace.link(sparkOut, audit, 1);
        TraceResult fromLocal = Trace.link(localOut, audit, 1);
        assertTrue(fromSpark.occupations().size() >= 2, fromSpark.occupations().toString());
        assertEquals(fromLocal.occupations(), fromSpark.occupations());
        assertEquals(fromLocal.excluded(), fromSpark.excluded());
        assertEquals(fromLocal.pearsonDataModel(), fromSpark.pearsonDataModel());
    }

    private static TargetLean lean(String target, double lean) {
        return new TargetLean(
                target, Estimate.undefinedInterval(lean, 3), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Last: the job's main stops the (shared) session, as it must under spark-submit. */
    @Test
    @Order(Integer.MAX_VALUE)
    void mainWritesTheSameOutputsAndExitsPartialOnSkippedInput() throws Exception {
        Path corpus = tmp.resolve("corpus");
        if (!Files.exists(corpus)) {
            mixedTree();
        }
        Path out = tmp.resolve("out-spark");
        int rc = CorpusStatsJob.runMain(new String[] {corpus.toString(), "--out", out.toString(), "--window", "10"});
        assertEquals(6, rc);
        String json = Files.readString(out.resolve("corpus-stats.json"));
        assertTrue(json.contains("\"engine\" : \"spark\""), json.substring(0, 200));
        assertTrue(json.contains("c/d/e/x3.jsonl.zst"));
        assertTrue(Files.readString(out.resolve("occupations.csv")).startsWith("occupation,"));
        assertEquals(2, CorpusStatsJob.runMain(new String[] {"--out"}));
    }

    @Test
    void wireSpecRebuildsAnEqualSpec() {
        CountingSpec spec = CountingSpec.defaults(WordListLoader.builtIn());
        assertEquals(spec.fingerprint(), WireSpec.of(spec).toSpec().fingerprint());
        assertEquals(spec.words(), WireSpec.of(spec).toSpec().words());
    }
}
