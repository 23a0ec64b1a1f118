package org.unmask.app.junit;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.unmask.app.Audits;
import org.unmask.app.ModelOpener;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.LeanResult;
import org.unmask.models.Backend;
import org.unmask.probes.suite.SuiteLoader;

/**
 * Bias thresholds in a Java project's own JUnit 5 tests: runs a suite file and fails the test, naming every broken
 * assertion, when the model exceeds them.
 *
 * <pre>{@code
 * @Test
 * void modelStaysWithinOurGenderBiasBudget() {
 *     BiasAssertions.assertSuite("models/my-bert", Path.of("bias/gender.yaml")).passes();
 *     BiasAssertions.assertSuite(model, Path.of("bias/gender.yaml"))
 *             .aggregateAtMost("association", "mean-abs-bias", 0.8);
 * }
 * }</pre>
 *
 * Needs {@code unmask-app} and {@code junit-jupiter-api} on the test class path. Suites run through {@link Audits},
 * exactly as {@code unmask audit} runs them. (This class was {@code org.unmask.probes.junit.BiasAssertions} in
 * {@code unmask-probes}; it moved, with the same methods, so that probes no longer depends on models.)
 */
public final class BiasAssertions {
    private BiasAssertions() {}

    /** Loads the model behind {@code modelRef} (folder or hub id; null = bert-base-uncased) and audits it. */
    public static SuiteCheck assertSuite(String modelRef, Path suite) {
        try (LanguageModel lm = ModelOpener.LOADER.open(modelRef, Backend.ONNX)) {
            return assertSuite(lm, suite);
        } catch (UnmaskException e) {
            return Assertions.fail("cannot load model " + modelRef + ": " + e.userMessage(), e);
        }
    }

    /** Audits an already loaded model with the suite file. */
    public static SuiteCheck assertSuite(LanguageModel model, Path suite) {
        try {
            AuditResult r =
                    Audits.run(model, SuiteLoader.load(suite), Audits.Settings.DEFAULT, ProgressListener.NONE, null);
            return new SuiteCheck(r);
        } catch (UnmaskException e) {
            return Assertions.fail("bias suite " + suite + " could not run: " + e.userMessage(), e);
        }
    }

    /** The outcome of a suite run, with assertion methods that fail the calling test. */
    public static final class SuiteCheck {
        private final AuditResult result;

        SuiteCheck(AuditResult result) {
            this.result = result;
        }

        public AuditResult result() {
            return result;
        }

        /** Fails unless every assertion in the suite file holds. */
        public SuiteCheck passes() {
            if (!result.passed()) {
                Assertions.fail(result.assertions().stream()
                        .filter(a -> !a.passed())
                        .map(a -> a.expression() + " (was " + a.value() + ", line " + a.line() + ")")
                        .collect(Collectors.joining(
                                "; ",
                                "bias suite " + result.provenance().suite().id() + " failed on "
                                        + result.provenance().model().id() + ": ",
                                "")));
            }
            return this;
        }

        /** Fails unless the named aggregate of a lean measure is at most {@code bound} (e.g. mean-abs-bias). */
        public SuiteCheck aggregateAtMost(String measure, String aggregate, double bound) {
            LeanResult lean = result.measures().stream()
                    .filter(m -> m.name().equals(measure))
                    .filter(m -> m instanceof LeanResult)
                    .map(m -> (LeanResult) m)
                    .findFirst()
                    .orElseGet(() -> Assertions.fail("no lean measure named " + measure + " in the suite"));
            LeanResult.AggregateValue v = lean.aggregate(aggregate);
            if (v == null) {
                Assertions.fail(measure + " has no aggregate " + aggregate);
            }
            if (!(v.estimate().value() <= bound)) {
                Assertions.fail(measure + " " + aggregate + " = " + v.estimate().value() + " exceeds " + bound);
            }
            return this;
        }
    }
}
