package org.unmask.spark.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
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
        // Spark 4.1.1's jackson-module-scala needs jackson-databind 2.20.x; the root pom manages 2.18.2. Until the
        // spark module manages jackson 2.20.1 (verified to make this test pass), Spark cannot start here.
        com.fasterxml.jackson.core.Version v = com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION;
        Assumptions.assumeTrue(v.getMajorVersion() > 2 || v.getMinorVersion() >= 20,
                "jackson-databind " + v + " on the test classpath; Spark 4.1.1 needs 2.20 (manage it in spark/pom.xml)");
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, String.join("\n", "{\"text\":\"He is a nurse.\",\"id\":1}", "{\"text\":\"It rained.\"}",
                "broken", "", "{\"text\":\"Her dad's car\"}") + "\n");
        CdaOptions opts = CdaOptions.DEFAULT;
        Path local = dir.resolve("local.jsonl");
        new CorpusAugmenter(new CdaTransform(opts), "text").run(in, local);
        CdaSparkJob.Counts c;
        SparkSession spark = SparkSession.builder().master("local[1]").appName("cda-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate();
        try {
            c = CdaSparkJob.run(spark, in.toString(), dir.resolve("spark-out").toString(), "text", true, false, opts);
        } finally {
            spark.stop();
        }
        List<String> sparkLines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(dir.resolve("spark-out"))) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                sparkLines.addAll(Files.readAllLines(p));
            }
        }
        assertEquals(Files.readAllLines(local), sparkLines);
        assertEquals(new CdaSparkJob.Counts(3, 5, 2, 0, 1, 1), c);
    }
}
