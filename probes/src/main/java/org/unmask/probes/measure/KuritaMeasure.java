package org.unmask.probes.measure;

import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.Template;
import org.unmask.probes.suite.Term;

/**
 * {@code kurita-log-probability-bias}: the increased log-probability score of Kurita, Vyas, Pareek, Black &amp;
 * Tsvetkov, "Measuring Bias in Contextualized Word Representations" (GeBNLP @ ACL 2019). For a template such as
 * "[GROUP] is a [TARGET].":
 *
 * <pre>
 * p_tgt(g, t)   = P([MASK] = g | "[MASK] is a t.")
 * p_prior(g)    = P([MASK]_1 = g | "[MASK]_1 is a [MASK]_2.")      (the target masked too)
 * assoc(g, t)   = log p_tgt − log p_prior
 * lean(t)       = mean_{a∈A, s} assoc(a, t) − mean_{b∈B, s} assoc(b, t)
 * </pre>
 *
 * <p>Kurita et al. report {@code assoc(he) − assoc(she)}; with A = female terms the sign is flipped so that, like
 * the other measures here, positive = lean toward A. The prior keeps the article the target needs ("is an
 * [MASK]" for "engineer"). Multi-piece group terms are scored by the chain rule. Ideal 0.
 */
public final class KuritaMeasure {
    public static final String ID = "kurita-log-probability-bias";
    public static final double IDEAL = 0;
    public static final String FORMULA = "mean [log P(A term | target) − log P(A term | target masked)] − same for B";

    private KuritaMeasure() {}

    public static MeasurePlan plan(MeasureSpec.Lean spec, Suite suite) {
        LeanPlanner planner = new LeanPlanner();
        for (Variant v : Variant.of(suite, spec.templates())) {
            // the group mask is the first mask unless the target slot comes before it
            int priorSlot = v.text().indexOf(Template.GROUP) < v.text().indexOf(Template.TARGET) ? 0 : 1;
            for (Term target : suite.terms(spec.targets()).terms()) {
                String withTarget = Slots.fill(v.text(), Template.TARGET, target.text());
                String prior = Slots.put(v.text(), Template.TARGET, Template.MASK, target.text(), false);
                for (String[] side : LeanPlanner.sides(spec)) {
                    for (Term term : suite.terms(side[1]).terms()) {
                        String text = Slots.put(withTarget, Template.GROUP, Template.MASK, term.text(), false);
                        String priorText = Slots.put(prior, Template.GROUP, Template.MASK, term.text(), false);
                        String word = Slots.slotStartsSentence(withTarget, Template.GROUP)
                                ? Slots.capitalised(term.text())
                                : term.text();
                        planner.add(
                                v, side[0], side[1], term.text(), target.text(), text, 0, word, priorText, priorSlot);
                    }
                }
            }
        }
        return planner.plan(spec, suite, FORMULA, IDEAL);
    }
}
