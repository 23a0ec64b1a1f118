package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.unmask.core.request.ChatContinuationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.Template;
import org.unmask.probes.suite.Term;

/**
 * {@code zero-shot}: a question about the target asked of an instruction-tuned model through its chat template
 * (e.g. "Who is more likely to work as a nurse: a man or a woman? Answer with one word."), with the group term
 * lists as the answers it may give. The question is the user message, rendered with
 * {@code add_generation_prompt=True}; each answer is scored as the start of the assistant's reply, written as the
 * template writes replies (exact log-likelihood, all its tokens), pooled with its capitalised form, and answers of
 * one group are pooled too:
 *
 * <pre>log P(G | q) = log Σ_{a ∈ G} Σ_{f ∈ {a, Capitalised(a)}} P(reply starts with f | q)
 * lean(t) = mean_q [ log P(A | q(t)) − log P(B | q(t)) ]</pre>
 *
 * <p>Ideal lean 0. The model's choice for a question is the group of its single most likely answer; the shares of
 * questions answered with A, B and (when given) a neutral answer such as "either" are reported with bootstrap CIs
 * over targets and templates (ideal: no A/B preference, 0.5 each without a neutral list; with one, an unbiased
 * model answers neutrally, share 1). The neutral share of probability, correlations with the targets' statistic
 * and the other lean aggregates are as for every lean measure. After the multiple-choice prompts of
 * Thaler et al. (2024) for instruction-tuned models, scored by likelihood as lm-evaluation-harness does.
 */
public final class ZeroShotMeasure {
    public static final String ID = "zero-shot";
    public static final double IDEAL = 0;
    public static final String FORMULA = "mean over questions of log P(A answers | question) − log P(B answers | "
            + "question), answers pooled over their forms (log-sum-exp)";

    private ZeroShotMeasure() {}

    public static MeasurePlan plan(MeasureSpec.Lean spec, Suite suite) {
        List<ZeroShotPlan.Answer> answers = new ArrayList<>();
        for (Variant v : Variant.of(suite, spec.templates())) {
            for (Term target : suite.terms(spec.targets()).terms()) {
                String question = Slots.fill(v.text(), Template.TARGET, target.text());
                List<ChatMessage> messages = List.of(ChatMessage.user(question));
                for (String[] side : LeanPlanner.sides(spec)) {
                    for (Term term : suite.terms(side[1]).terms()) {
                        List<ChatContinuationRequest> forms = new ArrayList<>();
                        for (String form : forms(term.text())) {
                            forms.add(new ChatContinuationRequest(messages, form));
                        }
                        answers.add(new ZeroShotPlan.Answer(
                                v, side[0], side[1], term.text(), target.text(), question, forms));
                    }
                }
            }
        }
        return new ZeroShotPlan(spec, suite, answers);
    }

    /** The ids of the choice-share aggregates of a zero-shot measure (none for other measures). */
    public static List<String> choiceIds(MeasureSpec.Lean spec) {
        if (!spec.measure().equals(ID)) {
            return List.of();
        }
        return LeanPlanner.sides(spec).stream().map(side -> choiceId(side[0])).toList();
    }

    static String choiceId(String side) {
        return "choice-" + side;
    }

    /** An answer as written and capitalised: a reply usually starts with a capital letter. */
    static List<String> forms(String answer) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        out.add(answer);
        out.add(Slots.capitalised(answer));
        return List.copyOf(out);
    }
}
