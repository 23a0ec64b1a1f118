package org.unmask.spark.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.mitigation.cda.CdaOptions;
import org.unmask.mitigation.cda.CdaTransform;
import org.unmask.mitigation.cda.CorpusAugmenter;

class CdaSparkJobTest {
    @TempDir
    Path dir;

    @Test
    void sparkJobWritesTheSameLinesAsTheFileTransform() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(
                in,
                String.join(
                                "\n",
                                "{\"text\":\"He is a nurse.\",\"id\":1}",
                                "{\"text\":\"It rained.\"}",
                                "broken",
                                "",
                                "{\"text\":\"Her dad's car\"}")
                        + "\n");
        CdaOptions opts = CdaOptions.DEFAULT;
        Path local = dir.resolve("local.jsonl");
        new CorpusAugmenter(new CdaTransform(opts), "text").run(in, local);
        CdaSparkJob.Counts c;
        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .appName("cda-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .getOrCreate();
        try {
            c = CdaSparkJob.run(spark, in.toString(), dir.resolve("spark-out").toString(), "text", true, false, opts);
        } finally {
            spark.stop();
        }
        List<String> sparkLines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(dir.resolve("spark-out"))) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .sorted()
                    .toList()) {
                sparkLines.addAll(Files.readAllLines(p));
            }
        }
        assertEquals(Files.readAllLines(local), sparkLines);
        assertEquals(new CdaSparkJob.Counts(3, 5, 2, 0, 1, 1), c);
    }
}
