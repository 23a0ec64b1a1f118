package org.unmask.core.result;

/**
 * One sampled continuation of a generation measure: the item-level row of CSV/JSONL outputs.
 *
 * @param measure the measure's name in the suite
 * @param setting the decoding setting's name
 * @param template template id
 * @param paraphrase 0 for the template, i for its i-th paraphrase
 * @param context the context prefix ({@code ""} for none)
 * @param target the target word in the prompt
 * @param prompt the text the model continued, or with {@code chat: true} the user message it answered
 * @param sample the sample's index under its prompt and setting
 * @param seed the sampling seed (from the audit seed, prompt, setting and index)
 * @param continuation the generated text
 * @param label {@code female}, {@code male}, {@code both} or {@code none}
 */
public record GenerationItem(
        String measure,
        String setting,
        String template,
        int paraphrase,
        String context,
        String target,
        String prompt,
        int sample,
        long seed,
        String continuation,
        String label) {}
