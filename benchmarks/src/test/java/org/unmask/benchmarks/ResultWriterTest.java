package org.unmask.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;

/**
 * Benchmark results through the result codec: the committed schema-1 file (written by the code before results
 * were versioned) still reads, a result reads back as it was written, and every map is written in a fixed order.
 */
class ResultWriterTest {
    /** Written by ResultWriter before schema 2 (no schemaVersion, maps in a per-run order, no final newline). */
    static final String SCHEMA1 = "schema1-crows-pairs.json";

    @TempDir
    Path tmp;

    private static BenchmarkResult result() {
        Provenance p = new Provenance(
                "bert-base-uncased",
                "BertForMaskedLM",
                "a".repeat(64),
                "b".repeat(64),
                "test",
                "v1",
                "classpath:x/",
                Map.of("data.csv", "c".repeat(64)),
                "CC BY-NC 4.0",
                true,
                7,
                "0.1.0",
                "17");
        MetricValue m = new MetricValue(
                "seat/effect-size", "sent-weat6", 0.93, 128, Double.NaN, Double.NaN, 0.0, Map.of("p_value", 1e-5));
        return new BenchmarkResult(
                "seat",
                "SEAT",
                RunOptions.defaults().withVariant("sent-weat6"),
                List.of(m),
                new Skipped().snapshot(),
                List.of("NON-COMMERCIAL DATA"),
                p,
                timing(),
                List.of());
    }

    private static BenchmarkResult.Timing timing() {
        return new BenchmarkResult.Timing(1.0, 0.5, 10, 2, 12, 2, 6, 6.0, 10.0, 2);
    }

    private Path fixture() throws IOException {
        try (InputStream in = ResultWriterTest.class.getResourceAsStream(SCHEMA1)) {
            return Files.write(tmp.resolve(SCHEMA1), in.readAllBytes());
        }
    }

    @Test
    void writesValidJsonAtomicallyWithNaNAsNull() throws Exception {
        Path f = ResultWriter.write(result(), tmp);
        assertEquals("seat--bert-base-uncased--sent-weat6.json", f.getFileName().toString());
        JsonNode root = new ObjectMapper().readTree(f.toFile());
        assertEquals(BenchmarkResult.SCHEMA_VERSION, root.get("schemaVersion").asInt());
        assertTrue(root.at("/metrics/0/ciLow").isNull());
        assertEquals(7, root.at("/provenance/seed").asInt());
        assertTrue(root.at("/provenance/nonCommercial").asBoolean());
        assertTrue(Files.readString(f).endsWith("}\n"));
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no temp file left behind");
        }
    }

    @Test
    void theCommittedSchema1FileReadsIntoTheRecords() throws Exception {
        BenchmarkResult r = BenchmarkResult.read(fixture());
        assertEquals(1, r.schemaVersion());
        assertEquals("crows-pairs", r.benchmark());
        assertEquals(3, r.options().limit());
        assertEquals(42, r.timing().forwardPasses());
        assertEquals(1.234, r.timing().wallSeconds());
        assertEquals(2L, r.skipped().byReason().get("unknown bias type"));
        MetricValue overall = r.metric("crows-pairs/pll-unmodified", "overall").orElseThrow();
        assertEquals(20.5, overall.ciLow());
        assertNull(overall.details().get("neutral_pct"), "an undefined detail stays undefined");
        assertTrue(Double.isNaN(
                r.metric("crows-pairs/pll-unmodified", "gender").orElseThrow().value()));
        assertEquals("race-color", r.items().get(0).get("bias_type"));
        assertEquals("d".repeat(64), r.provenance().dataSha256().get("LICENSE"));
    }

    @Test
    void everyPublishedResultInTheRepositoryReads() throws Exception {
        // benchmarks/results: the published runs of docs/bias-benchmarks.md, written by schema-1 code
        List<Path> files;
        try (var list = Files.list(Path.of("results"))) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 8, "the published results: " + files);
        ObjectMapper json = new ObjectMapper();
        for (Path f : files) {
            BenchmarkResult r = BenchmarkResult.read(f);
            assertFalse(r.metrics().isEmpty(), f.toString());
            ObjectNode old = (ObjectNode) json.readTree(f.toFile());
            old.put("schemaVersion", r.schemaVersion());
            assertEquals(old, json.readTree(ResultWriter.json(r)), f + " writes back with the same fields and values");
        }
    }

    @Test
    void aSchema1FileWritesBackWithTheSameFieldsAndValues() throws Exception {
        Path f = fixture();
        ObjectMapper json = new ObjectMapper();
        ObjectNode old = (ObjectNode) json.readTree(f.toFile());
        old.put("schemaVersion", 1);
        assertEquals(old, json.readTree(ResultWriter.json(BenchmarkResult.read(f))));
    }

    @Test
    void aResultReadsBackAsItWasWritten() throws Exception {
        BenchmarkResult r = BenchmarkResult.read(fixture());
        BenchmarkResult again =
                BenchmarkResult.read(Files.writeString(tmp.resolve("again.json"), ResultWriter.json(r)));
        assertEquals(ResultWriter.json(r), ResultWriter.json(again));
        Path written = ResultWriter.write(result(), tmp);
        assertEquals(Files.readString(written), ResultWriter.json(BenchmarkResult.read(written)));
    }

    @Test
    void mapsAreWrittenInAFixedOrderWhateverOrderTheyCameIn() throws Exception {
        Skipped skipped = new Skipped();
        List<String> reasons = new ArrayList<>();
        for (int i = 12; i > 0; i--) {
            reasons.add("reason " + i);
            skipped.add("reason " + i, "row " + i);
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("z", 1);
        item.put("a", Map.of("y", 1, "b", 2, "x", 3, "c", 4, "w", 5, "d", 6));
        BenchmarkResult base = result();
        BenchmarkResult r = new BenchmarkResult(
                base.benchmark(),
                base.name(),
                base.options(),
                List.of(new MetricValue(
                        "m", "g", 1, 1, 0, 2, 0, Map.of("q", 1, "p", 2, "o", 3, "n", 4, "k", 5, "j", 6))),
                skipped.snapshot(),
                base.notes(),
                new Provenance(
                        "m",
                        "a",
                        "w",
                        "t",
                        "b",
                        "v",
                        "o",
                        Map.of("z.csv", "1", "a.csv", "2", "m.csv", "3", "b.csv", "4"),
                        "l",
                        false,
                        1,
                        "u",
                        "j"),
                timing(),
                List.of(item));
        JsonNode root = new ObjectMapper().readTree(ResultWriter.json(r));
        assertEquals(
                List.of(
                        "wallSeconds",
                        "modelSeconds",
                        "forwardPasses",
                        "batches",
                        "requests",
                        "cacheHits",
                        "sentences",
                        "sentencesPerSecond",
                        "forwardPassesPerSecond",
                        "availableProcessors"),
                names(root.get("timing")));
        assertEquals(reasons, names(root.at("/skipped/byReason")), "skip reasons as first met");
        assertEquals(reasons, names(root.at("/skipped/examples")));
        assertEquals(List.of("a.csv", "b.csv", "m.csv", "z.csv"), names(root.at("/provenance/dataSha256")));
        assertEquals(List.of("j", "k", "n", "o", "p", "q"), names(root.at("/metrics/0/details")), "Map.of sorted");
        assertEquals(List.of("z", "a"), names(root.at("/items/0")), "an ordered map keeps its order");
        assertEquals(List.of("b", "c", "d", "w", "x", "y"), names(root.at("/items/0/a")));
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void aNewerSchemaOrAMalformedFieldIsRefusedNamingTheFile() throws Exception {
        String text = Files.readString(fixture());
        Path newer = Files.writeString(tmp.resolve("newer.json"), "{\"schemaVersion\" : 3, " + text.substring(1));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BenchmarkResult.read(newer));
        assertTrue(e.getMessage().startsWith(newer + ": field schemaVersion: 3 is not a schema"), e.getMessage());
        Path broken = Files.writeString(
                tmp.resolve("broken.json"), text.replace("\"forwardPasses\" : 42", "\"forwardPasses\" : \"many\""));
        e = assertThrows(InvalidInputException.class, () -> BenchmarkResult.read(broken));
        assertEquals(broken + ": field timing.forwardPasses: expected an integer", e.getMessage());
        Path missing = Files.writeString(tmp.resolve("missing.json"), text.replace("\"notes\" :", "\"nodes\" :"));
        e = assertThrows(InvalidInputException.class, () -> BenchmarkResult.read(missing));
        assertEquals(missing + ": field notes: missing", e.getMessage());
        assertThrows(InvalidInputException.class, () -> BenchmarkResult.read(tmp.resolve("none.json")));
    }
}
