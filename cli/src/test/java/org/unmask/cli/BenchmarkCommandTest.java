package org.unmask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.testing.RealModel;

/** bench-list and benchmark end to end: the CI slice on the embedded bert-base-uncased. */
class BenchmarkCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void listsEveryBenchmarkWithLicenseAndMetrics() {
        Run r = run("bench-list");
        assertEquals(0, r.code(), r.err());
        for (String id : List.of("crows-pairs", "stereoset", "winogender", "winobias", "honest", "seat")) {
            assertTrue(r.out().contains(id), id);
        }
        assertTrue(r.out().contains("[NON-COMMERCIAL]"));
    }

    @Test
    void unknownBenchmarkIsAOneLineInvalidInput() {
        Run r = run("benchmark", "no-such-bench");
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().startsWith("error: no benchmark 'no-such-bench'"), r.err());
        assertFalse(r.err().contains("\tat "));
    }

    @RealModel
    @Test
    void crowsPairsSliceOnRealBertWritesJsonWithProvenance(@TempDir Path dir) throws IOException {
        Run r = run("benchmark", "crows-pairs", "--limit", "20", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        Path json;
        try (Stream<Path> files = Files.list(dir)) {
            json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals("crows-pairs", root.get("benchmark").asText());
        assertTrue(root.at("/provenance/weightsSha256").asText().matches("[0-9a-f]{64}"));
        assertEquals(
                "dfb36986ce0502abbaf7055b9176da3d08d48e07df1251991b5dfbcbceab9d0c",
                root.at("/provenance/dataSha256/crows_pairs_anonymized.csv").asText());
        JsonNode overall = null;
        for (JsonNode m : root.get("metrics")) {
            if (m.get("metric").asText().equals("crows-pairs/pll-unmodified")
                    && m.get("group").asText().equals("overall")) {
                overall = m;
            }
        }
        assertEquals(20, overall.get("n").asInt());
        assertTrue(overall.get("value").asDouble() >= 0 && overall.get("value").asDouble() <= 100);
        assertTrue(root.get("notes").toString().contains("PARTIAL RUN"));
        Path html = Path.of(json.toString().replace(".json", ".html"));
        assertTrue(Files.readString(html).contains("crows-pairs/pll-unmodified"), "the HTML report sits beside it");
    }
}
