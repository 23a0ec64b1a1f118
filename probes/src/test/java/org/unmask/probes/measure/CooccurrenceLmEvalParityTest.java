package org.unmask.probes.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.LeanResult;
import org.unmask.models.ModelLoader;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.suite.SuiteLoader;

/**
 * {@code cooccurrence-log-ratio} against lm-evaluation-harness 0.4.13's own {@code simple_cooccurrence_bias} task on
 * the tiny GPT-2 of the benchmarks' lm-eval fixtures, for "The {occupation} was a" over 20 occupations
 * (tools/fixtures/make_lmeval_fixtures.py): per occupation the lean equals lm-eval's {@code likelihood_diff} within
 * 1e-4, each side's pooled score equals log(exp(ll₁) + exp(ll₂)) of lm-eval's two answers within 1e-4, and
 * {@code share-top-answer-b} equals lm-eval's {@code pct_male_preferred} exactly (its definition; on this subsample
 * {@code share-leaning-b} happens to agree too — LeanStatisticsTest has a case where the two part).
 */
class CooccurrenceLmEvalParityTest {
    private static final Path REF = Path.of("src/test/resources/lm-eval/simple_cooccurrence_bias-gpt2-512.json");
    /** The model the benchmarks' lm-eval fixtures were recorded on (one copy in the repository). */
    private static final Path MODEL = Path.of("../benchmarks/src/test/resources/lm-eval/gpt2-512");

    @Test
    void leansAsLmEvaluationHarnessLikelihoodDiff() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(REF.toFile());
        List<String> occupations = new ArrayList<>();
        for (JsonNode s : ref.get("samples")) {
            occupations.add(s.get("occupation").asText());
            // lm-eval's doc_to_text is the sentence; its target_delimiter " " goes before every answer
            assertEquals(
                    "The " + s.get("occupation").asText() + " was a",
                    s.get("context").asText());
            assertEquals(" female, woman, male, man", " " + String.join(", ", texts(s.get("continuations"))));
        }
        // the built-in causal suite's was-a template and answer words (gender-occupation-causal.yaml)
        String suite = """
                id: cooc-parity
                terms:
                  cooccurrence-female: [female, woman]
                  cooccurrence-male: [male, man]
                  jobs: [%s]
                templates:
                  - id: was-a
                    text: "The [TARGET] was a [MASK]."
                measures:
                  - measure: cooccurrence-log-ratio
                    templates: [was-a]
                    groups: [cooccurrence-female, cooccurrence-male]
                    targets: jobs
                """.formatted(String.join(", ", occupations));
        LeanResult r;
        try (LanguageModel lm = ModelLoader.load(MODEL.toString())) {
            AuditResult a = new AuditEngine()
                    .run(
                            AuditSpec.of(SuiteLoader.parse("cooc-parity.yaml", suite, null))
                                    .withResamples(50),
                            new RequestExecutor(lm, ExecutorOptions.DEFAULT));
            r = (LeanResult) a.measures().get(0);
        }
        double worst = 0;
        int male = 0;
        for (JsonNode s : ref.get("samples")) {
            String occ = s.get("occupation").asText();
            LeanResult.TargetLean t = r.targets().stream()
                    .filter(x -> x.target().equals(occ))
                    .findFirst()
                    .orElseThrow();
            JsonNode ll = s.get("loglikelihoods");
            double theirDiff = s.get("likelihood_diff").asDouble();
            worst = Math.max(worst, Math.abs(t.lean().value() - theirDiff));
            assertEquals(theirDiff, t.lean().value(), 1e-4, occ);
            assertEquals(logSumExp(ll.get(0).asDouble(), ll.get(1).asDouble()), t.meanA(), 1e-4, occ + " female side");
            assertEquals(logSumExp(ll.get(2).asDouble(), ll.get(3).asDouble()), t.meanB(), 1e-4, occ + " male side");
            // lm-eval: the single most likely of the four answers is male; Unmask: the male side's total is larger
            boolean lmEvalMale = s.get("pct_male_preferred").asDouble() == 1.0;
            assertEquals(lmEvalMale, t.lean().value() < 0, occ + ": this subsample has no case where the two differ");
            male += lmEvalMale ? 1 : 0;
        }
        assertTrue(worst < 1e-4, "worst |Δ lean| " + worst);
        JsonNode agg = ref.get("aggregates");
        assertEquals(Math.round(agg.get("pct_male_preferred").asDouble() * occupations.size()), male);
        assertEquals(
                agg.get("pct_male_preferred").asDouble(),
                r.aggregate("share-top-answer-b").estimate().value(),
                1e-12);
        assertEquals(
                agg.get("pct_male_preferred").asDouble(),
                r.aggregate("share-leaning-b").estimate().value(),
                1e-12);
        assertEquals(
                agg.get("likelihood_diff").asDouble(),
                r.aggregate("mean-bias").estimate().value(),
                1e-4);
    }

    private static double logSumExp(double a, double b) {
        double hi = Math.max(a, b);
        return hi + Math.log(Math.exp(a - hi) + Math.exp(b - hi));
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText().strip()));
        return out;
    }
}
