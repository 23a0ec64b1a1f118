package org.unmask.probes.suite;

import java.util.List;
import org.unmask.core.result.Decoding;

/** One measure a suite asks for, as declared under {@code measures:}. */
public sealed interface MeasureSpec permits MeasureSpec.TopK, MeasureSpec.Lean, MeasureSpec.Generation {
    /** The measure kind's stable id ({@code top-k}, {@code association}...). */
    String measure();

    /** The name results and assertions use; defaults to the measure id. */
    String name();

    List<String> templates();

    /**
     * Side-by-side top-k predictions.
     *
     * @param columns term lists whose terms fill the template's {@code [GROUP]} or {@code [TARGET]} slot, one column
     *     per term
     * @param k predictions per column
     * @param marks term lists whose words are marked in the answers (e.g. female words, male words); answers in none
     *     are marked neutral
     */
    record TopK(String measure, String name, List<String> templates, List<String> columns, int k, List<String> marks)
            implements MeasureSpec {}

    /**
     * A measure that gives each target a lean toward group A (positive) or group B (negative).
     *
     * @param groupA term list of group A
     * @param groupB term list of group B
     * @param neutral optional neutral term list (e.g. {@code they}), reported but not part of the lean; may be null
     * @param targets term list of targets (occupations, adjectives...)
     * @param split threshold on the targets' statistic that splits them into two sets for the effect size (e.g. 50
     *     for % female); NaN = no split
     */
    record Lean(
            String measure,
            String name,
            List<String> templates,
            String groupA,
            String groupB,
            String neutral,
            String targets,
            double split)
            implements MeasureSpec {}

    /**
     * A sampled-generation study: each filled template is a prompt, continued {@code samples} times under every
     * decoding setting; each continuation is labelled by the gender words it contains.
     *
     * @param targets term list filling {@code [TARGET]} (e.g. occupations, with a {@code stat} such as % female)
     * @param samples continuations per prompt and (non-greedy) decoding setting
     * @param maxNewTokens longest continuation, in tokens
     * @param decoding the settings compared, the first being the baseline of the hyperparameter effect
     * @param female term list whose words mark a continuation as female
     * @param male term list whose words mark a continuation as male
     * @param chat whether each filled template is the user message of a chat, answered through the model's chat
     *     template (an instruction-tuned model), rather than a text to continue (a base model)
     * @param system the system message put before the user message of a chat, or null for none
     * @param line the measure's line in its suite file, for errors found once the model is known
     */
    record Generation(
            String measure,
            String name,
            List<String> templates,
            String targets,
            int samples,
            int maxNewTokens,
            List<Decoding> decoding,
            String female,
            String male,
            boolean chat,
            String system,
            int line)
            implements MeasureSpec {
        public Generation {
            templates = List.copyOf(templates);
            decoding = List.copyOf(decoding);
        }
    }
}
