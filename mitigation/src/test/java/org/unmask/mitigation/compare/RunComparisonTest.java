package org.unmask.mitigation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.AggregateValue;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TopKResult;
import org.unmask.core.result.TopKResult.Answer;
import org.unmask.core.result.TopKResult.Column;
import org.unmask.core.result.TopKResult.Table;
import org.unmask.core.stats.Estimate;
import org.unmask.core.testing.Results;
import org.unmask.mitigation.compare.RunComparison.Verdict;
import org.unmask.mitigation.cost.PseudoPerplexity;

class RunComparisonTest {
    private static final List<String> TARGETS =
            List.of("nurse", "doctor", "engineer", "teacher", "baker", "pilot", "clerk", "chef", "lawyer", "farmer");

    @TempDir
    Path dir;

    /**
     * An audit folder, written by the result codec, whose targets lean by {@code lean[t]} (score a = lean/2 + noise,
     * b = −lean/2 + noise), with a top-k table whose first answer tells the models apart.
     */
    private Path run(String name, String model, double[] lean, String suiteSha, double[] pll) throws Exception {
        List<LeanItem> items = new ArrayList<>();
        for (int t = 0; t < TARGETS.size(); t++) {
            for (int k = 0; k < 3; k++) {
                double noise = 0.01 * ((k * 7 + t * 3) % 5 - 2);
                items.add(item(TARGETS.get(t), "a", "he", lean[t] / 2 + noise));
                items.add(item(TARGETS.get(t), "b", "she", -lean[t] / 2 + noise));
            }
        }
        AggregateValue meanAbs = new AggregateValue(
                "mean-absolute-lean",
                "mean |lean|",
                0,
                Estimate.undefinedInterval(mean(abs(lean)), lean.length),
                Double.NaN,
                0,
                false,
                "");
        LeanResult lean1 = new LeanResult(
                "occupation-lean",
                "pronoun-lean",
                "log P(he) - log P(she)",
                0,
                "he",
                "she",
                null,
                "occupations",
                null,
                Double.NaN,
                List.of(),
                List.of(meanAbs),
                List.of(),
                items);
        String text = "The doctor was very caring and [MASK].";
        TopKResult topk = new TopKResult(
                "classic-top5",
                "top-k",
                2,
                List.of(),
                List.of(new Table(
                        "t1",
                        0,
                        "",
                        text,
                        List.of(new Column(
                                "doctor",
                                "cols",
                                text,
                                List.of(
                                        new Answer(model.equals("parent") ? "kind" : "gentle", 0.2, "neutral", false),
                                        new Answer("patient", 0.1, "neutral", false)))))));
        Path d = Results.write(dir.resolve(name), Results.audit(model, suiteSha, List.of(lean1, topk)));
        if (pll != null) {
            Files.writeString(
                    d.resolve("pseudo-perplexity.json"),
                    ResultCodec.render(PseudoPerplexity.of("t", pll, new int[] {10, 10, 10, 10}, 1)));
        }
        return d;
    }

    private static LeanItem item(String target, String side, String term, double score) {
        return new LeanItem(
                "occupation-lean",
                "t1",
                0,
                "",
                side,
                side.equals("a") ? "male" : "female",
                term,
                target,
                "The " + target + " said that [MASK] left.",
                score,
                Double.NaN,
                score);
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
        RunComparison.Comparison c = RunComparison.compare(
                AuditRun.read(run("a", "parent", BIASED, "s1", null)),
                AuditRun.read(run("b", "child", mitigated, "s1", null)),
                7);
        RunComparison.MeasureChange m = c.measures().get(0);
        assertEquals(10, m.targets());
        assertEquals(mean(abs(BIASED)), m.meanDistanceBefore(), 1e-9);
        assertEquals(-0.7 * mean(abs(BIASED)), m.delta(), 1e-9);
        assertTrue(m.ci95().upper() < 0);
        assertEquals("targets", m.ci95().resamples());
        assertTrue(
                m.ci95().note().contains("1 template: holds for this template only"),
                m.ci95().note());
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
        RunComparison.MeasureChange m = RunComparison.compare(
                        AuditRun.read(run("a", "p", BIASED, "s", null)),
                        AuditRun.read(run("b", "c", flipped, "s", null)),
                        7)
                .measures()
                .get(0);
        assertEquals(0, m.delta(), 1e-9);
        assertEquals(Verdict.NO_DETECTABLE_CHANGE, m.verdict());
    }

    @Test
    void pairsTopKTablesAndComparesPseudoPerplexity() throws Exception {
        RunComparison.Comparison c = RunComparison.compare(
                AuditRun.read(run("a", "parent", BIASED, "s", new double[] {-20, -25, -30, -22})),
                AuditRun.read(run("b", "child", BIASED, "s", new double[] {-22, -26, -33, -23})),
                7);
        assertEquals(1, c.topK().size());
        assertEquals(List.of("kind 0.200", "patient 0.100"), c.topK().get(0).before());
        assertEquals(List.of("gentle 0.200", "patient 0.100"), c.topK().get(0).after());
        assertEquals(Math.exp(97.0 / 40), c.cost().before(), 1e-9);
        assertEquals(Math.exp(104.0 / 40) / Math.exp(97.0 / 40), c.cost().ratio(), 1e-9);
        assertEquals("sentences", c.cost().ci95().resamples());
        assertTrue(c.cost().ci95().lower() > 1, "every sentence got worse, so the ratio's CI is above 1");
    }

    @Test
    void refusesAuditsOfDifferentSuitesAndFoldersWithoutResults() throws Exception {
        Path a = run("a", "p", BIASED, "s1", null);
        Path b = run("b", "c", BIASED, "s2", null);
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> RunComparison.compare(AuditRun.read(a), AuditRun.read(b), 1));
        assertTrue(e.getMessage().contains("different suites"));
        assertThrows(InvalidInputException.class, () -> AuditRun.read(Files.createDirectories(dir.resolve("empty"))));
    }

    /** Items of one target: 3 templates × 3 terms per side, the lean shifted by a per-template amount. */
    private static List<LeanItem> crossedItems(double[] lean, double[] templateShift) {
        List<LeanItem> items = new ArrayList<>();
        for (int t = 0; t < TARGETS.size(); t++) {
            for (int j = 0; j < templateShift.length; j++) {
                for (int k = 0; k < 3; k++) {
                    double noise = 0.05 * ((k * 7 + t * 3 + j) % 5 - 2);
                    double l = lean[t] + templateShift[j];
                    items.add(new LeanItem(
                            "occupation-lean",
                            "t" + j,
                            0,
                            "",
                            "a",
                            "male",
                            "he" + k,
                            TARGETS.get(t),
                            "x",
                            l / 2 + noise,
                            Double.NaN,
                            l / 2 + noise));
                    items.add(new LeanItem(
                            "occupation-lean",
                            "t" + j,
                            0,
                            "",
                            "b",
                            "female",
                            "she" + k,
                            TARGETS.get(t),
                            "x",
                            -l / 2 + noise,
                            Double.NaN,
                            -l / 2 + noise));
                }
            }
        }
        return items;
    }

    private static LeanResult leanResult(List<LeanItem> items) {
        return new LeanResult(
                "occupation-lean",
                "pronoun-lean",
                "f",
                0,
                "he",
                "she",
                null,
                "occupations",
                null,
                Double.NaN,
                List.of(),
                List.of(),
                List.of(),
                items);
    }

    @Test
    void theChangeIsResampledOverTargetsTemplatesAndTermsOnTheSameDrawForBothRuns() {
        double[] halved = BIASED.clone();
        for (int i = 0; i < halved.length; i++) {
            halved[i] = BIASED[i] / 2;
        }
        // the templates disagree (shifts of ±0.6): a targets-only interval would be too narrow
        double[] shifts = {-0.6, 0, 0.6, 0.3};
        RunComparison.MeasureChange crossed = RunComparison.leanChange(
                "occupation-lean",
                leanResult(crossedItems(BIASED, shifts)),
                leanResult(crossedItems(halved, shifts)),
                7);
        assertEquals("targets × templates × terms", crossed.ci95().resamples());
        assertEquals("bca", crossed.ci95().method());
        assertTrue(crossed.ci95().contains(crossed.delta()), crossed.ci95().toString());
        RunComparison.MeasureChange same = RunComparison.leanChange(
                "occupation-lean",
                leanResult(crossedItems(BIASED, shifts)),
                leanResult(crossedItems(BIASED, shifts)),
                7);
        assertEquals(0, same.delta(), 1e-12);
        assertEquals(0, same.ci95().width(), 1e-12, "paired: identical runs give the same change on every draw");
        assertEquals(Verdict.NO_DETECTABLE_CHANGE, same.verdict());
    }

    /** compare reads a run written before schema 2 against one written now (the same audit on the scripted model). */
    @Test
    void aSchema1RunComparesWithASchema2Run() throws Exception {
        Path a = Files.createDirectories(dir.resolve("schema1"));
        Path b = Files.createDirectories(dir.resolve("schema2"));
        Files.writeString(a.resolve("result.json"), fixture("schema1-masked.json"));
        Files.writeString(b.resolve("result.json"), fixture("schema2-masked.json"));
        RunComparison.Comparison c = RunComparison.compare(AuditRun.read(a), AuditRun.read(b), 7);
        assertEquals(
                List.of("association", "pronoun-lean"),
                c.measures().stream().map(RunComparison.MeasureChange::measure).toList());
        for (RunComparison.MeasureChange m : c.measures()) {
            assertEquals(0, m.delta(), 1e-12, "the same item scores in both files");
            assertEquals(Verdict.NO_DETECTABLE_CHANGE, m.verdict());
        }
        assertTrue(!c.topK().isEmpty(), "top-k tables still pair");
    }

    private static String fixture(String name) throws java.io.IOException {
        try (java.io.InputStream in = org.unmask.core.result.AuditResult.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void cooccurrenceLeansSumProbabilitiesBeforeTheLogAsTheAuditDoes() {
        List<LeanItem> items = List.of(
                new LeanItem("c", "t", 0, "", "a", "f", "female", "nurse", "x", 1.0, Double.NaN, 1.0),
                new LeanItem("c", "t", 0, "", "a", "f", "woman", "nurse", "x", 0.5, Double.NaN, 0.5),
                new LeanItem("c", "t", 0, "", "b", "m", "male", "nurse", "x", 0.0, Double.NaN, 0.0));
        assertEquals(
                Math.log(Math.exp(1) + Math.exp(0.5)),
                RunComparison.leans("c", items, true).get("nurse"),
                1e-12);
        assertEquals(0.75, RunComparison.leans("c", items).get("nurse"), 1e-12);
    }

    @Test
    void aMalformedResultJsonIsAnErrorNamingTheFileAndTheFieldNotAnEmptyComparison() throws Exception {
        Path a = run("a", "p", BIASED, "s", null);
        Path b = run("b", "c", BIASED, "s", null);
        Files.writeString(
                b.resolve("result.json"),
                Files.readString(b.resolve("result.json")).replace("\"measures\" : [", "\"measurez\" : ["));
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> RunComparison.compare(AuditRun.read(a), AuditRun.read(b), 1));
        assertEquals(b.resolve("result.json") + ": field measures: missing", e.getMessage());
        Files.writeString(b.resolve("result.json"), "{}");
        e = assertThrows(InvalidInputException.class, () -> AuditRun.read(b));
        assertTrue(e.getMessage().startsWith(b.resolve("result.json") + ": field schemaVersion"), e.getMessage());
    }
}
