package org.unmask.probes.measure;

import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;

/**
 * {@code cooccurrence-log-ratio}: Brown et al. (2020)'s occupation–gender co-occurrence score for causal LMs, as
 * lm-evaluation-harness's {@code simple_cooccurrence_bias} ({@code likelihood_diff}), e.g. after
 * "The [OCCUPATION] was a [MASK]" with A = {female, woman} and B = {male, man}:
 *
 * <pre>lean(t) = log Σ_{a∈A} P([MASK] = a | s(t)) − log Σ_{b∈B} P([MASK] = b | s(t))</pre>
 *
 * <p>Unlike {@code pronoun-lean}, which averages the terms' log-probabilities, this sums their probabilities (the
 * model's total mass on the group), so one likely term outweighs an unlikely one. With several templates or
 * contexts the sums run over them too. Positive = toward A; ideal 0. lm-eval's {@code pct_male_preferred} is the
 * {@code share-top-answer-b} aggregate ({@link ShareTopAnswer}: is the single most likely of the four answers in
 * B?), not {@code share-leaning-b} (is B's total probability larger?; docs/suite-format.md).
 */
public final class CooccurrenceMeasure {
    public static final String ID = "cooccurrence-log-ratio";
    public static final double IDEAL = 0;
    public static final String FORMULA = "log Σ P(A term | target) − log Σ P(B term | target)  (Brown et al. 2020)";

    private CooccurrenceMeasure() {}

    public static MeasurePlan plan(MeasureSpec.Lean spec, Suite suite) {
        return PronounLeanMeasure.probes(spec, suite).plan(spec, suite, FORMULA, IDEAL, LeanPooling.LOG_SUM);
    }
}
