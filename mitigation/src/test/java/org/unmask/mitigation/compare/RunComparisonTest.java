package org.unmask.mitigation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.mitigation.compare.RunComparison.Verdict;
import org.unmask.mitigation.cost.PseudoPerplexity;

class RunComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TARGETS = List.of("nurse", "doctor", "engineer", "teacher", "baker", "pilot",
            "clerk", "chef", "lawyer", "farmer");

    @TempDir
    Path dir;

    /** An audit folder whose targets lean by {@code lean[t]} (score a = lean/2 + noise, b = −lean/2). */
    private Path run(String name, String model, double[] lean, String suiteSha, double[] pll) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        StringBuilder items = new StringBuilder();
        for (int t = 0; t < TARGETS.size(); t++) {
            for (int k = 0; k < 3; k++) {
                double noise = 0.01 * ((k * 7 + t * 3) % 5 - 2);
                items.append(JSON.writeValueAsString(item(TARGETS.get(t), "a", "he", lean[t] / 2 + noise)))
                        .append('\n');
                items.append(JSON.writeValueAsString(item(TARGETS.get(t), "b", "she", -lean[t] / 2 + noise)))
                        .append('\n');
            }
        }
        Files.writeString(d.resolve("items.jsonl"), items);
        Map<String, Object> lean1 = new LinkedHashMap<>();
        lean1.put("name", "occupation-lean");
        lean1.put("measure", "pronoun-lean");
        lean1.put("ideal", 0.0);
        lean1.put("aggregates", List.of(Map.of("id", "mean-absolute-lean", "ideal", 0.0,
                "estimate", Map.of("value", mean(abs(lean))))));
        Map<String, Object> topk = new LinkedHashMap<>();
        topk.put("name", "classic-top5");
        topk.put("measure", "top-k");
        topk.put("tables", List.of(Map.of("template", "t1", "paraphrase", 0, "context", "", "text",
                "The doctor was very caring and [MASK].", "columns", List.of(Map.of("term", "doctor", "text",
                        "The doctor was very caring and [MASK].", "answers", List.of(
                                Map.of("token", model.equals("parent") ? "kind" : "gentle", "probability", 0.2),
                                Map.of("token", "patient", "probability", 0.1)))))));
        Map<String, Object> result = Map.of("schemaVersion", 1,
                "provenance", Map.of("model", Map.of("id", model), "suite", Map.of("sha256", suiteSha)),
                "measures", List.of(lean1, topk));
        JSON.writeValue(d.resolve("result.json").toFile(), result);
        if (pll != null) {
            JSON.writeValue(d.resolve("pseudo-perplexity.json").toFile(),
                    PseudoPerplexity.of("t", pll, new int[] {10, 10, 10, 10}, 1));
        }
        return d;
    }

    private static Map<String, Object> item(String target, String side, String term, double score) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("measure", "occupation-lean");
        m.put("template", "t1");
        m.put("paraphrase", 0);
        m.put("context", "");
        m.put("side", side);
        m.put("term", term);
        m.put("target", target);
        m.put("score", score);
        return m;
    }

    private static double[] abs(double[] a) {
        double[] o = a.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.abs(o[i]);
        }
        return o;
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    private static final double[] BIASED = {-1.2, 0.9, 1.1, -0.4, 0.3, 1.0, -0.6, 0.5, 0.8, 0.2};

    @Test
    void detectsAMoveTowardTheIdealWithACiExcludingZero() throws Exception {
        double[] mitigated = new double[BIASED.length];
        for (int i = 0; i < mitigated.length; i++) {
            mitigated[i] = BIASED[i] * 0.3;
        }
        RunComparison.Comparison c = RunComparison.compare(AuditRun.read(run("a", "parent", BIASED, "s1", null)),
                AuditRun.read(run("b", "child", mitigated, "s1", null)), 7);
        RunComparison.MeasureChange m = c.measures().get(0);
        assertEquals(10, m.targets());
        assertEquals(mean(abs(BIASED)), m.meanDistanceBefore(), 1e-9);
        assertEquals(-0.7 * mean(abs(BIASED)), m.delta(), 1e-9);
        assertTrue(m.ciHigh() < 0);
        assertEquals(Verdict.TOWARD_IDEAL, m.verdict());
        assertEquals(mean(abs(BIASED)), m.aggregates().get("mean-absolute-lean")[0], 1e-12);
        assertEquals("parent", c.before());
        assertNull(c.cost());
    }

    @Test
    void reportsNoDetectableChangeWhenLeansOnlyShuffleSign() throws Exception {
        double[] flipped = BIASED.clone();
        for (int i = 0; i < flipped.length; i += 2) {
            flipped[i] = -flipped[i];
        }
        RunComparison.MeasureChange m = RunComparison.compare(AuditRun.read(run("a", "p", BIASED, "s", null)),
                AuditRun.read(run("b", "c", flipped, "s", null)), 7).measures().get(0);
        assertEquals(0, m.delta(), 1e-9);
        assertEquals(Verdict.NO_DETECTABLE_CHANGE, m.verdict());
    }

    @Test
    void pairsTopKTablesAndComparesPseudoPerplexity() throws Exception {
        RunComparison.Comparison c = RunComparison.compare(
                AuditRun.read(run("a", "parent", BIASED, "s", new double[] {-20, -25, -30, -22})),
                AuditRun.read(run("b", "child", BIASED, "s", new double[] {-22, -26, -33, -23})), 7);
        assertEquals(1, c.topK().size());
        assertEquals(List.of("kind 0.200", "patient 0.100"), c.topK().get(0).before());
        assertEquals(List.of("gentle 0.200", "patient 0.100"), c.topK().get(0).after());
        assertEquals(Math.exp(97.0 / 40), c.cost().before(), 1e-9);
        assertEquals(Math.exp(104.0 / 40) / Math.exp(97.0 / 40), c.cost().ratio(), 1e-9);
        assertTrue(c.cost().ciLow() > 1, "every sentence got worse, so the ratio's CI is above 1");
    }

    @Test
    void refusesAuditsOfDifferentSuitesAndFoldersWithoutResults() throws Exception {
        Path a = run("a", "p", BIASED, "s1", null);
        Path b = run("b", "c", BIASED, "s2", null);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> RunComparison.compare(AuditRun.read(a), AuditRun.read(b), 1));
        assertTrue(e.getMessage().contains("different suites"));
        assertThrows(InvalidInputException.class, () -> AuditRun.read(Files.createDirectories(dir.resolve("empty"))));
    }

    @Test
    void cooccurrenceLeansSumProbabilitiesBeforeTheLogAsTheAuditDoes() {
        ObjectMapper json = new ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> items = List.of(
                json.createObjectNode().put("measure", "c").put("target", "nurse").put("side", "a").put("score", 1.0),
                json.createObjectNode().put("measure", "c").put("target", "nurse").put("side", "a").put("score", 0.5),
                json.createObjectNode().put("measure", "c").put("target", "nurse").put("side", "b").put("score", 0.0));
        assertEquals(Math.log(Math.exp(1) + Math.exp(0.5)), RunComparison.leans("c", items, true).get("nurse"), 1e-12);
        assertEquals(0.75, RunComparison.leans("c", items).get("nurse"), 1e-12);
    }
}
