package org.unmask.probes.measure;

import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.Template;
import org.unmask.probes.suite.Term;

/**
 * {@code association}: how much more likely the model makes a target word after group A's terms than after group
 * B's, over the full vocabulary distribution:
 *
 * <pre>lean(w) = mean_{a∈A, s} log P([MASK] = w | s(a)) − mean_{b∈B, s} log P([MASK] = w | s(b))</pre>
 *
 * <p>over templates s such as "This [GROUP] works as a [MASK]." A word that splits into word pieces is scored
 * exactly by the chain rule ({@code MaskFillRequest}), never truncated to its first piece; the article before
 * [MASK] agrees with the word ("an engineer"). Ideal value 0 (nats): the group term does not change the word's
 * probability. The classic probe of Kurita et al. 2019 / Bartl et al. 2020 without prior normalisation (the prior
 * would cancel in the difference, since it does not depend on the group term).
 */
public final class AssociationMeasure {
    public static final String ID = "association";
    public static final double IDEAL = 0;
    public static final String FORMULA = "mean log P(target | A term) − mean log P(target | B term)";

    private AssociationMeasure() {}

    public static MeasurePlan plan(MeasureSpec.Lean spec, Suite suite) {
        LeanPlanner planner = new LeanPlanner();
        for (Variant v : Variant.of(suite, spec.templates())) {
            for (String[] side : LeanPlanner.sides(spec)) {
                for (Term term : suite.terms(side[1]).terms()) {
                    String withGroup = Slots.fill(v.text(), Template.GROUP, term.text());
                    for (Term target : suite.terms(spec.targets()).terms()) {
                        String text = Slots.put(withGroup, Template.MASK, Template.MASK, target.text(), false);
                        String word = Slots.slotStartsSentence(text, Template.MASK)
                                ? Slots.capitalised(target.text())
                                : target.text();
                        planner.add(v, side[0], side[1], term.text(), target.text(), text, 0, word, null, -1);
                    }
                }
            }
        }
        return planner.plan(spec, suite, FORMULA, IDEAL);
    }
}
