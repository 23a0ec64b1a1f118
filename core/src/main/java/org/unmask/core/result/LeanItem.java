package org.unmask.core.result;

/**
 * One scored sentence of a lean measure: the item-level row of CSV/JSONL outputs.
 *
 * @param measure the measure's name in the suite
 * @param template template id
 * @param paraphrase 0 for the template, i for its i-th paraphrase
 * @param context the context prefix ({@code ""} for none)
 * @param side {@code a}, {@code b} or {@code neutral}
 * @param group the term list the term comes from
 * @param term the group term
 * @param target the target word
 * @param text the sentence sent to the model ({@code [MASK]} where it predicts)
 * @param logProb natural log-probability of the scored word (chain rule over its word pieces)
 * @param priorLogProb log-probability of the same word with the target masked too (Kurita prior), NaN if none
 * @param score {@code logProb − priorLogProb} when there is a prior, else {@code logProb}
 */
public record LeanItem(
        String measure,
        String template,
        int paraphrase,
        String context,
        String side,
        String group,
        String term,
        String target,
        String text,
        double logProb,
        double priorLogProb,
        double score) {
    public static final String A = "a";
    public static final String B = "b";
    public static final String NEUTRAL = "neutral";

    /** The template variant as one cluster key: template id (paraphrases are nested in their template). */
    public String templateKey() {
        return template;
    }
}
