package org.unmask.probes.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.LeanResult;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.Fixtures;
import org.unmask.probes.suite.SuiteLoader;

/**
 * Brown et al.'s score sums the group's probabilities before the log, where pronoun-lean averages log-probabilities.
 * The scripted model's logits after "The nurse said that": she 1, they 0.5, he 0; after "The carpenter said that":
 * she 0, they 0.5, he 1 (the softmax normaliser cancels in both).
 */
class CooccurrenceMeasureTest {
    private static final String SUITE = """
            id: c
            terms:
              a: [she, they]
              b: [he]
              jobs: [nurse, carpenter]
            templates:
              - id: said
                text: "The [TARGET] said that [MASK] left."
            measures:
              - measure: cooccurrence-log-ratio
                templates: [said]
                groups: [a, b]
                targets: jobs
              - measure: pronoun-lean
                templates: [said]
                groups: [a, b]
                targets: jobs
            """;

    @Test
    void logSumPoolingScoresTheGroupsTotalProbability() throws UnmaskException {
        AuditResult r = new AuditEngine()
                .run(
                        AuditSpec.of(SuiteLoader.parse("c.yaml", SUITE, null)).withResamples(50),
                        new RequestExecutor(Fixtures.model(), ExecutorOptions.DEFAULT));
        LeanResult brown = (LeanResult) r.measures().get(0);
        LeanResult mean = (LeanResult) r.measures().get(1);
        assertEquals(CooccurrenceMeasure.FORMULA, brown.formula());
        assertEquals("cooccurrence-log-ratio", brown.measure());
        assertEquals(Math.log(Math.exp(1) + Math.exp(0.5)), lean(brown, "nurse"), 1e-5);
        assertEquals(Math.log(1 + Math.exp(0.5)) - 1, lean(brown, "carpenter"), 1e-5);
        assertEquals((1 + 0.5) / 2, lean(mean, "nurse"), 1e-5);
        // lm-eval's pct_male_preferred: the carpenter leans (slightly) male
        assertEquals(0.5, brown.aggregate("share-leaning-b").estimate().value(), 1e-12);
    }

    private static double lean(LeanResult r, String target) {
        return r.targets().stream()
                .filter(t -> t.target().equals(target))
                .findFirst()
                .orElseThrow()
                .lean()
                .value();
    }
}
