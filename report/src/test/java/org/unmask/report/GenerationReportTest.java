package org.unmask.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.AuditResult;
import org.unmask.core.testing.ScriptedGenerator;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.suite.SuiteLoader;

/** A generation study in every output: JSON, CSV/JSONL items, HTML (escaped) and the terminal summary. */
class GenerationReportTest {
    private static final String SUITE = """
            id: gen-report
            terms:
              jobs: [nurse, "<b>carpenter</b>"]
              f: [she]
              m: [he]
            templates:
              - id: works
                text: "The [OCCUPATION] works"
            measures:
              - measure: generation
                templates: [works]
                targets: jobs
                samples: 2
                max-new-tokens: 4
                decoding: [{name: default}, {name: greedy, temperature: 0}]
                classify: [f, m]
            """;
    private static AuditResult result;

    @BeforeAll
    static void runAudit() throws UnmaskException {
        result = audit();
    }

    /** The study on a scripted generator (also the source of the committed schema-1 generation fixture). */
    static AuditResult audit() throws UnmaskException {
        ScriptedGenerator lm = new ScriptedGenerator(r -> r.prompt().contains("nurse")
                ? " late, she said <img src=x onerror=window.__xss=1>"
                : "=HYPERLINK(\"x\") he, said");
        return new AuditEngine()
                .run(
                        new AuditSpec(SuiteLoader.parse("g.yaml", SUITE, null), 3, 100, 100, ProgressListener.NONE),
                        new RequestExecutor(lm, ExecutorOptions.DEFAULT));
    }

    @Test
    void jsonCarriesCountsSharesAndItemsWithoutNaN() throws Exception {
        String json = JsonReport.render(result);
        assertFalse(json.contains("NaN"));
        JsonNode m = new ObjectMapper().readTree(json).at("/measures/0");
        assertEquals("generation", m.get("measure").asText());
        assertEquals(2, m.at("/settings/0/counts/female").asInt());
        assertEquals(2, m.at("/settings/0/counts/male").asInt());
        assertEquals(0.5, m.at("/settings/0/aggregates/0/estimate/value").asDouble(), 1e-12);
        assertEquals("greedy", m.at("/settings/1/decoding/name").asText());
        assertEquals(0.0, m.at("/settings/1/aggregates/1/estimate/value").asDouble(), 1e-12);
        assertEquals(6, m.get("items").size());
    }

    @Test
    void itemsAddGenerationColumnsAndDefuseFormulaContinuations() {
        String csv = ItemTables.csv(result);
        assertTrue(csv.startsWith(ItemTables.HEADER + ItemTables.GENERATION_COLUMNS + "\r\n"), csv);
        String[] lines = csv.split("\r\n");
        assertEquals(1 + 6, lines.length);
        assertTrue(lines[1].startsWith("generation,works,0,,,,,nurse,The nurse works,,,,default,0,"), lines[1]);
        assertTrue(lines[1].endsWith(",female,\" late, she said <img src=x onerror=window.__xss=1>\""), lines[1]);
        assertTrue(csv.contains(",male,\"'=HYPERLINK(\"\"x\"\") he, said\""), csv);
        assertEquals(6, ItemTables.jsonl(result).lines().count());
        assertTrue(ItemTables.jsonl(result).lines().allMatch(l -> l.contains("\"continuation\"")));
    }

    @Test
    void htmlShowsEverySettingAndEscapesContinuations() {
        String html = HtmlReport.render(result);
        assertFalse(html.contains("<img src=x"));
        assertFalse(html.contains("<b>carpenter</b>"));
        assertTrue(html.contains("&lt;img src=x onerror=window.__xss=1&gt;"));
        assertTrue(html.contains("<td>greedy</td><td>greedy</td>"), html);
        assertTrue(html.contains("<td>default</td><td>T = 1</td>"), html);
        assertTrue(html.contains("hyperparameter-effect"));
    }

    @Test
    void summaryHasOneLinePerSetting() {
        String s = TerminalSummary.render(result);
        assertTrue(s.contains("generation (generation: 2 samples x 4 tokens per prompt"), s);
        assertTrue(s.contains("  default          F 2  M 2  both 0  none 0  share 0.500"), s);
        assertTrue(s.contains("  greedy           F 1  M 1  both 0  none 0  share 0.500"), s);
        assertTrue(s.contains("hyperparameter-effect 0.000"), s);
    }
}
