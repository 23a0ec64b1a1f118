package org.unmask.probes.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.TopKResult;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.Fixtures;

class LeanMeasuresTest {
    private static AuditResult result;
    private static ScriptedMaskedLm lm;
    // non-special vocabulary entries: every scripted logit is 0 except the boosts
    private static final int V = Fixtures.VOCAB.size();

    @BeforeAll
    static void runAudit() throws UnmaskException {
        lm = Fixtures.model();
        result = new AuditEngine()
                .run(
                        AuditSpec.of(Fixtures.suite()).withResamples(200),
                        new RequestExecutor(lm, ExecutorOptions.DEFAULT));
    }

    private static LeanResult lean(String name) {
        return (LeanResult) result.measures().stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static double leanOf(String measure, String target) {
        return lean(measure).targets().stream()
                .filter(t -> t.target().equals(target))
                .findFirst()
                .orElseThrow()
                .lean()
                .value();
    }

    @Test
    void associationIsTheLogProbabilityDifferenceOverTheFullVocabulary() {
        // P(nurse | woman) = e^2 / (e^2 + V - 1), P(nurse | man) = 1 / (e^2 + V - 1): difference of logs = 2
        assertEquals(2.0, leanOf("association", "nurse"), 1e-5);
        assertEquals(-2.0, leanOf("association", "carpenter"), 1e-5);
        assertEquals(0.0, leanOf("association", "engineer"), 1e-5);
    }

    @Test
    void multiPieceTargetsAreScoredByTheChainRule() {
        // hairdresser = hair ##dress ##er: each piece is scored at a widened mask, so both groups' normalisers
        // cancel piece by piece and the lean is exactly 0 (a first-piece truncation would also give 0, so check
        // the log-probability itself: three uniform pieces after "woman", whose normaliser includes e^2 for nurse)
        LeanItem woman = lean("association").items().stream()
                .filter(i -> i.target().equals("hairdresser") && i.term().equals("woman"))
                .findFirst()
                .orElseThrow();
        double perPiece = -Math.log(Math.exp(2) + V - 1);
        assertEquals(3 * perPiece, woman.logProb(), 1e-4);
        assertEquals(0.0, leanOf("association", "hairdresser"), 1e-5);
    }

    @Test
    void articleAgreesWithTheTargetWord() {
        List<String> texts = lean("association").items().stream()
                .filter(i -> i.target().equals("engineer"))
                .map(LeanItem::text)
                .toList();
        assertTrue(texts.contains("The woman works as an [MASK]."), texts.toString());
    }

    @Test
    void kuritaNormalisesByThePriorWithTheTargetMasked() {
        // assoc(she, nurse) = [1 - log(e + V - 1)] - [-log V]; assoc(he, nurse) = [0 - log(e + V - 1)] - [-log V]
        assertEquals(1.0, leanOf("kurita-log-probability-bias", "nurse"), 1e-5);
        assertEquals(-1.0, leanOf("kurita-log-probability-bias", "carpenter"), 1e-5);
        LeanItem she = lean("kurita-log-probability-bias").items().stream()
                .filter(i -> i.target().equals("nurse") && i.term().equals("she"))
                .findFirst()
                .orElseThrow();
        assertEquals(-Math.log(V - 1 + Math.E) + 1, she.logProb(), 1e-5);
        assertEquals(-Math.log(V), she.priorLogProb(), 1e-5);
    }

    @Test
    void pronounLeanComparesSheWithHeAndReportsTheNeutralShare() {
        assertEquals(1.0, leanOf("pronoun-lean", "nurse"), 1e-5);
        LeanResult.TargetLean eng = lean("pronoun-lean").targets().stream()
                .filter(t -> t.target().equals("engineer"))
                .findFirst()
                .orElseThrow();
        // P(they) / (P(she) + P(he) + P(they)) = e^0.5 / (1 + 1 + e^0.5)
        assertEquals(Math.exp(0.5) / (2 + Math.exp(0.5)), eng.neutralShare(), 1e-5);
    }

    @Test
    void aggregatesMatchHandComputedValues() {
        LeanResult a = lean("association");
        // leans: nurse 2, carpenter -2, engineer 0, hairdresser 0
        assertEquals(1.0, a.aggregate("mean-abs-bias").estimate().value(), 1e-5);
        assertEquals(2.0, a.aggregate("max-abs-bias").estimate().value(), 1e-5);
        assertEquals(0.0, a.aggregate("mean-bias").estimate().value(), 1e-5);
        assertEquals(0.25, a.aggregate("share-leaning-a").estimate().value(), 1e-9);
        assertEquals(0.25, a.aggregate("share-leaning-b").estimate().value(), 1e-9);
        assertEquals(4, a.aggregate("mean-abs-bias").estimate().n());
        // % female 90, 2, 10, 94 vs lean 2, -2, 0, 0: Spearman of ranks [3,1,2,4] and [4,1,2.5,2.5]
        double[] lean = {2, -2, 0, 0};
        double[] pct = {90, 2, 10, 94};
        assertEquals(
                org.unmask.core.stats.Correlation.spearman(lean, pct),
                a.aggregate("spearman").estimate().value(),
                1e-9);
        // split at 50: above {2, 0}, below {-2, 0}: d = 2 / sqrt(2) (both variances 2)
        assertEquals(2 / Math.sqrt(2), a.aggregate("effect-size").estimate().value(), 1e-5);
        // exact permutation test over the C(4,2) = 6 splits of {2, 0, -2, 0'}: mean differences 2 ({2,0}, {2,0'}),
        // -2 ({-2,0}, {-2,0'}) and 0 ({2,-2}, {0,0'}) -> P(|T| >= 2) = 4/6
        assertEquals(4.0 / 6, a.aggregate("effect-size").p(), 1e-9);
        assertTrue(a.aggregate("effect-size").exact());
    }

    @Test
    void everyRequestRunsInOneDeduplicatedExecutorCall() {
        assertTrue(result.executor().uniqueRequests() <= result.executor().requests());
        assertEquals(result.executor().forwardInputs(), lm.forwardPasses());
        Map<String, Long> perTemplate = new java.util.HashMap<>();
        for (var m : result.measures()) {
            if (m instanceof LeanResult l) {
                l.items().forEach(i -> perTemplate.merge(i.template(), 1L, Long::sum));
            }
        }
        assertFalse(perTemplate.isEmpty());
    }

    @Test
    void assertionsAreCheckedAgainstPointEstimates() {
        assertEquals(3, result.assertions().size());
        AuditResult.AssertionOutcome max = result.assertions().get(0);
        assertEquals(2.0, max.value(), 1e-5);
        assertFalse(max.passed());
        assertTrue(result.assertions().get(1).passed());
        assertFalse(result.passed());
    }

    @Test
    void topKMarksAnswersAndSharedOnes() {
        TopKResult t = (TopKResult) result.measures().get(0);
        TopKResult.Column woman = t.tables().get(0).columns().get(0);
        assertEquals("nurse", woman.answers().get(0).token());
        assertEquals("marks-f", woman.answers().get(0).mark());
        TopKResult.Column man = t.tables().get(0).columns().get(1);
        assertEquals("carpenter", man.answers().get(0).token());
        assertEquals("neutral", man.answers().get(0).mark());
    }

    private static final String TWO = """
            id: two
            contexts: ["", "Note."]
            terms: {f: [woman], m: [man], jobs: [nurse, carpenter, engineer]}
            templates:
              - {id: a, text: "The [GROUP] works as a [MASK]."}
              - {id: b, text: "A [GROUP] works as a [MASK]."}
            measures: [{measure: association, templates: [a, b], groups: [f, m], targets: jobs}]
            """;

    @Test
    void intervalsAreReproducibleForASeed() throws UnmaskException {
        org.unmask.probes.suite.Suite two = org.unmask.probes.suite.SuiteLoader.parse("two.yaml", TWO, null);
        LeanResult.AggregateValue[] runs = new LeanResult.AggregateValue[2];
        for (int k = 0; k < 2; k++) {
            AuditResult r = new AuditEngine()
                    .run(
                            AuditSpec.of(two).withResamples(200),
                            new RequestExecutor(Fixtures.model(), ExecutorOptions.DEFAULT));
            runs[k] = ((LeanResult) r.measures().get(0)).aggregate("mean-abs-bias");
        }
        assertTrue(runs[0].estimate().ci95().isDefined());
        assertEquals(runs[0].estimate(), runs[1].estimate());
    }

    @Test
    void slicesAppearOnlyWithSeveralTemplatesOrContexts() throws UnmaskException {
        assertTrue(lean("association").slices().isEmpty(), "one template, one context");
        org.unmask.probes.suite.Suite two = org.unmask.probes.suite.SuiteLoader.parse("two.yaml", """
                id: two
                contexts: ["", "Note."]
                terms: {f: [woman], m: [man], jobs: [nurse, carpenter]}
                templates:
                  - {id: a, text: "The [GROUP] works as a [MASK]."}
                  - {id: b, text: "A [GROUP] works as a [MASK]."}
                measures: [{measure: association, templates: [a, b], groups: [f, m], targets: jobs}]
                """, null);
        AuditResult r = new AuditEngine()
                .run(
                        AuditSpec.of(two).withResamples(50),
                        new RequestExecutor(Fixtures.model(), ExecutorOptions.DEFAULT));
        List<LeanResult.Slice> slices = ((LeanResult) r.measures().get(0)).slices();
        assertEquals(
                List.of("template:a", "template:b", "context:", "context:Note."),
                slices.stream().map(s -> s.by() + ":" + s.key()).toList());
        // the scripted boosts do not depend on wording: every slice has leans +2 and -2 -> mean |lean| 2
        slices.forEach(s -> assertEquals(2.0, s.meanAbsLean().value(), 1e-5));
    }

    @Test
    void withOneTemplateAndOneTermPerGroupOnlyTargetsVaryAndTheIntervalSaysWhatIsHeldFixed() {
        // the tiny suite has one template, one context and one term per group
        org.unmask.core.stats.Interval ci =
                lean("association").aggregate("mean-abs-bias").estimate().ci95();
        assertTrue(ci.isDefined());
        assertEquals("targets", ci.resamples());
        assertEquals("bca", ci.method());
        assertTrue(ci.note().contains("1 template: holds for this template only"), ci.note());
        assertTrue(ci.note().contains("1 term per group"), ci.note());
        // a single target's lean has nothing left to resample
        assertFalse(lean("association").targets().get(0).lean().ci95().isDefined());
        assertTrue(lean("association").targets().get(0).lean().ci95().note().contains("nothing to resample"));
    }
}
