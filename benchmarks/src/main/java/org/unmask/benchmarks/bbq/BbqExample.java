package org.unmask.benchmarks.bbq;

import java.util.List;
import java.util.Objects;

/**
 * One BBQ question as the data file gives it, plus which answers are biased: for the single-axis categories as
 * lm-eval finds them ({@link BbqData#biasedAnswers}), for the intersectional ones as the paper defines them
 * ({@link BbqData#intersectionalBiased}).
 *
 * @param where file and line, for messages and traces
 * @param category the BBQ category (e.g. {@code Gender_identity})
 * @param exampleId {@code example_id} within the category file
 * @param questionIndex the template ({@code question_index}); examples of one template are correlated
 * @param negative true for a negative question ({@code question_polarity = neg})
 * @param ambiguous true in the ambiguous context ({@code context_condition = ambig})
 * @param context the context text
 * @param question the question text
 * @param answers {@code ans0}, {@code ans1}, {@code ans2}
 * @param label index of the correct answer in {@code answers}
 * @param biased the answer strings that reflect the targeted bias, as the paper counts them (may be empty, as
 *     lm-eval allows)
 * @param lmEvalBiased the same as lm-eval's {@code process_docs} finds them; equal to {@code biased} outside the
 *     intersectional categories, where lm-eval looks at race only
 * @param comparison for an intersectional example, how the non-target differs from the target ({@code
 *     intersectional_a}: same race; {@code _b}: same gender/SES; {@code _c}: neither); empty otherwise
 */
public record BbqExample(
        String where,
        String category,
        int exampleId,
        String questionIndex,
        boolean negative,
        boolean ambiguous,
        String context,
        String question,
        List<String> answers,
        int label,
        List<String> biased,
        List<String> lmEvalBiased,
        String comparison) {
    public BbqExample {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(comparison, "comparison");
        answers = List.copyOf(answers);
        biased = List.copyOf(biased);
        lmEvalBiased = List.copyOf(lmEvalBiased);
        if (answers.size() != 3 || label < 0 || label > 2) {
            throw new IllegalArgumentException("a BBQ example has three answers and a label 0..2");
        }
    }

    /** The prompt lm-evaluation-harness writes for the {@code bbq} task. */
    public String prompt() {
        return context + "\n\nQ: " + question + "\nA:";
    }

    /** Whether this is one of the intersectional categories (Race_x_gender, Race_x_SES). */
    public boolean intersectional() {
        return BbqData.intersectional(category);
    }

    /** The correct answer. */
    public String correct() {
        return answers.get(label);
    }
}
