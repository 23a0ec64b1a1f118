package org.unmask.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.AuditResult;
import org.unmask.probes.AuditEngine;

class AuditReportTest {
    private static AuditResult result;

    @BeforeAll
    static void audit() throws UnmaskException {
        result = ReportFixture.audit();
    }

    @Test
    void writesEveryOutputWithNoTemporaryFilesLeft(@TempDir Path dir) throws Exception {
        List<Path> written = AuditReport.write(result, dir.resolve("run"));
        assertEquals(5, written.size());
        try (var files = Files.list(dir.resolve("run"))) {
            assertEquals(
                    List.of("items.csv", "items.jsonl", "report.html", "result.json", "summary.txt"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void jsonIsSchemaVersionedWithProvenanceAndNoNaN() throws Exception {
        String json = JsonReport.render(result);
        assertFalse(json.contains("NaN"));
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(AuditEngine.SCHEMA_VERSION, root.get("schemaVersion").asInt());
        assertEquals(64, root.at("/provenance/suite/sha256").asText().length());
        assertTrue(root.at("/provenance/model/weightsSha256").asText().startsWith("5c21a7ed"));
        assertEquals(result.provenance().seed(), root.at("/provenance/seed").asLong());
        assertTrue(root.at("/executor/forwardInputs").asLong() > 0);
        assertFalse(root.get("passed").asBoolean(), "the hostile suite's assertion fails");
        assertTrue(root.at("/timings/modelShare").isNumber());
        // one template, one context and one term per group: an aggregate's interval resamples only targets and
        // says what it holds fixed; a single target's lean has nothing to resample, so its CI is null
        assertEquals(
                "bca", root.at("/measures/1/aggregates/0/estimate/ci95/method").asText());
        assertEquals(
                "targets",
                root.at("/measures/1/aggregates/0/estimate/ci95/resamples").asText());
        assertTrue(
                root.at("/measures/1/aggregates/0/estimate/ci95/note").asText().contains("1 template"));
        assertTrue(root.at("/measures/1/aggregates/0").has("noiseFloor"));
        assertTrue(root.at("/measures/1/aggregates/0").has("noiseFloorP"));
        assertTrue(root.at("/measures/1/targets/0/lean/ci95/lower").isNull());
        assertTrue(root.at("/measures/1/targets/0").has("q"));
        assertTrue(root.at("/measures/1/warnings").isArray());
        assertTrue(root.at("/measures/1/aggregates/0/estimate/value").isNumber());
        // a lean measure's prior is undefined without Kurita normalisation: null, not NaN
        assertTrue(root.at("/measures/1/items/0/priorLogProb").isNull());
    }

    @Test
    void csvQuotesAndDefusesFormulaCells() {
        String csv = ItemTables.csv(result);
        assertTrue(csv.startsWith(ItemTables.HEADER + "\r\n"));
        assertTrue(csv.contains(",'=HYPERLINK(\"\"x\"\"),") || csv.contains(",\"'=HYPERLINK(\"\"x\"\")\","), csv);
        assertEquals(
                result.measures().stream()
                        .filter(m -> m instanceof org.unmask.core.result.LeanResult)
                        .mapToInt(m ->
                                ((org.unmask.core.result.LeanResult) m).items().size())
                        .sum(),
                ItemTables.jsonl(result).lines().count());
    }

    @Test
    void htmlEscapesEverySuiteString() {
        String html = HtmlReport.render(result);
        assertFalse(html.contains("<script>window.__xss"));
        assertFalse(html.contains("<img src=x"));
        assertFalse(html.contains("<b>man</b>"));
        assertTrue(html.contains("&lt;img src=x onerror=window.__xss=3&gt;"));
        assertTrue(html.contains("Content-Security-Policy"));
    }

    @Test
    void summaryNamesModelMeasuresAndFailedAssertion() {
        String s = TerminalSummary.render(result);
        assertTrue(s.contains("scripted-mlm"));
        assertTrue(s.contains("association"));
        assertTrue(s.contains("FAIL  max |association| < 1.5"), s);
    }
}
