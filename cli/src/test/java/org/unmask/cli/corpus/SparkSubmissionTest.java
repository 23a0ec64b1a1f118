package org.unmask.cli.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;
import org.unmask.core.error.InvalidInputException;
import org.unmask.corpus.parquet.ParquetFixtures;

/** How {@code corpus stats --spark} builds its submission, and the CLI's own Parquet path (fast, no Spark). */
class SparkSubmissionTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void aParquetShardIsCountedByTheLocalEngineOnTheCliClasspath() throws IOException {
        // regression: Parquet's reader options load Hadoop classes, absent from the CLI until corpus carried them
        Path c = Files.createDirectories(tmp.resolve("c"));
        ParquetFixtures.write(
                c.resolve("part-0.parquet"),
                List.of("The nurse said she was tired.", "He is a doctor."),
                "zstd",
                1 << 20);
        int rc =
                run("corpus", "stats", c.toString(), "--out", tmp.resolve("out").toString(), "--no-progress");
        assertEquals(ExitCode.OK.code(), rc, out + "\n" + err);
        assertTrue(Files.readString(tmp.resolve("out/corpus-stats.json")).contains("\"DOCUMENTS\" : 2"));
    }

    @Test
    void theSubmissionIsClientModeWithTheAppJarAndAFileUriAndFallsBackToTheBuildsSparkJars() throws Exception {
        Path corpus = Files.createDirectories(tmp.resolve("corpus"));
        SparkSubmission.Job job = new SparkSubmission.Job(
                SparkSubmission.clusterInput(corpus.toString()), tmp.resolve("out"), 10, "text", null, null, 1 << 20);
        List<String> cmd = SparkSubmission.command(
                "spark://10.0.0.5:7077", List.of("spark.executor.memory=2g"), job, Map.of("PATH", tmp.toString()));
        String line = String.join(" ", cmd);
        assertTrue(
                line.contains("org.apache.spark.deploy.SparkSubmit --master spark://10.0.0.5:7077"
                        + " --deploy-mode client --class org.unmask.spark.CorpusStatsJob"),
                line);
        assertTrue(line.contains("--conf spark.executor.memory=2g"), line);
        assertTrue(cmd.stream().anyMatch(a -> a.endsWith(SparkSubmission.APP_JAR)), line);
        assertTrue(cmd.contains(corpus.toUri().toString()), line);
        assertTrue(cmd.contains(tmp.resolve("out").toAbsolutePath().toString()), line);
        assertEquals("s3a://bucket/dolma", SparkSubmission.clusterInput("s3a://bucket/dolma"));
        assertThrows(
                InvalidInputException.class,
                () -> SparkSubmission.command("local[2]", List.of("novalue"), job, Map.of()));
    }

    @Test
    void aSparkSubmitOnThePathIsPreferred() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path submit = Files.writeString(bin.resolve("spark-submit"), "#!/bin/sh\n");
        assertTrue(submit.toFile().setExecutable(true));
        SparkSubmission.Job job =
                new SparkSubmission.Job("hdfs:///c", tmp.resolve("o"), 10, "text", null, null, 1 << 20);
        List<String> cmd = SparkSubmission.command("yarn", List.of(), job, Map.of("PATH", bin.toString()));
        assertEquals(submit.toString(), cmd.get(0));
    }

    @Test
    void loopbackIsKeptForALocalMasterAndDroppedForARemoteOne() {
        Map<String, String> env = new HashMap<>(Map.of("SPARK_LOCAL_IP", "127.0.0.1"));
        SparkSubmission.environment(env, "spark://127.0.0.1:7077");
        assertEquals("127.0.0.1", env.get("SPARK_LOCAL_IP"));
        SparkSubmission.environment(env, "spark://cluster.example:7077");
        assertFalse(env.containsKey("SPARK_LOCAL_IP"));
    }

    @Test
    void localEngineOptionsWithSparkAreAUsageErrorAndAMissingPathIsOneLine() {
        assertEquals(
                ExitCode.USAGE.code(),
                run(
                        "corpus",
                        "stats",
                        tmp.toString(),
                        "--out",
                        tmp.resolve("o").toString(),
                        "--spark",
                        "local[2]",
                        "--threads",
                        "2"));
        assertTrue(
                err.toString().contains("--threads and --stop-after-shards are for the local engine"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(
                ExitCode.INVALID_INPUT.code(),
                run(
                        "corpus",
                        "stats",
                        tmp.resolve("nope").toString(),
                        "--out",
                        tmp.resolve("o").toString(),
                        "--spark",
                        "local[2]"));
        assertTrue(err.toString().startsWith("error: corpus path"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }
}
