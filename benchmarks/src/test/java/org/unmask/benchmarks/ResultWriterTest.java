package org.unmask.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultWriterTest {
    @TempDir
    Path tmp;

    private static BenchmarkResult result() {
        Provenance p = new Provenance("bert-base-uncased", "BertForMaskedLM", "a".repeat(64), "b".repeat(64), "test",
                "v1", "classpath:x/", Map.of("data.csv", "c".repeat(64)), "CC BY-NC 4.0", true, 7, "0.1.0", "17");
        MetricValue m = new MetricValue("seat/effect-size", "sent-weat6", 0.93, 128, Double.NaN, Double.NaN, 0.0,
                Map.of("p_value", 1e-5));
        return new BenchmarkResult("seat", "SEAT", RunOptions.defaults().withVariant("sent-weat6"), List.of(m),
                new Skipped().snapshot(), List.of("NON-COMMERCIAL DATA"), p, Map.of("wallSeconds", 1.0), List.of());
    }

    @Test
    void writesValidJsonAtomicallyWithNaNAsNull() throws Exception {
        Path f = ResultWriter.write(result(), tmp);
        assertEquals("seat--bert-base-uncased--sent-weat6.json", f.getFileName().toString());
        JsonNode root = new ObjectMapper().readTree(f.toFile());
        assertTrue(root.at("/metrics/0/ciLow").isNull());
        assertEquals(7, root.at("/provenance/seed").asInt());
        assertTrue(root.at("/provenance/nonCommercial").asBoolean());
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no temp file left behind");
        }
    }
}
