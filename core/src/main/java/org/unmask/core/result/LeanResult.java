package org.unmask.core.result;

import java.util.List;
import org.unmask.core.stats.Estimate;

/**
 * What a lean measure found: per-target leans with 95 % CIs, aggregates, and the item-level scores.
 *
 * @param name measure name
 * @param measure kind id
 * @param formula the lean's formula, for reports
 * @param ideal the lean of an unbiased model
 * @param groupA term list of group A (positive lean)
 * @param groupB term list of group B (negative lean)
 * @param neutral neutral term list or null
 * @param targetList term list of the targets
 * @param statName the targets' statistic (e.g. {@code pct_female}) or null
 * @param split the effect-size split on the statistic, or NaN
 * @param targets per-target results, in term-list order
 * @param aggregates summaries over targets
 * @param slices mean |lean| and mean lean per template and per context, to see how much wording and prompt matter
 * @param items item-level scores
 */
public record LeanResult(String name, String measure, String formula, double ideal, String groupA, String groupB,
        String neutral, String targetList, String statName, double split, List<TargetLean> targets,
        List<AggregateValue> aggregates, List<Slice> slices, List<LeanItem> items) implements MeasureResult {
    public LeanResult {
        targets = List.copyOf(targets);
        aggregates = List.copyOf(aggregates);
        slices = List.copyOf(slices);
        items = List.copyOf(items);
    }

    /** The aggregate with this id, or null. */
    public AggregateValue aggregate(String id) {
        return aggregates.stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * One target's lean.
     *
     * @param target the target word
     * @param lean mean score over A items − mean over B items, with a bootstrap CI (templates, contexts, terms)
     * @param stat the target's statistic or NaN
     * @param meanA mean score of the A items ({@code log Σ P} of them for {@code cooccurrence-log-ratio})
     * @param meanB mean score of the B items (likewise)
     * @param neutralShare mean over sentences of {@code P(neutral) / (P(A) + P(B) + P(neutral))}, NaN if no
     *     neutral list
     */
    public record TargetLean(String target, Estimate lean, double stat, double meanA, double meanB,
            double neutralShare) {}

    /**
     * One aggregate.
     *
     * @param id stable id
     * @param label for people
     * @param ideal the value of an unbiased model
     * @param estimate value, bootstrap 95 % CI resampling templates, contexts and terms, n = targets
     * @param p permutation p-value where the aggregate has a test, else NaN
     * @param permutations how many rearrangements the p-value counts over (0 when none)
     * @param exact whether the test enumerated every rearrangement
     * @param test what the p-value tests, or empty
     */
    public record AggregateValue(String id, String label, double ideal, Estimate estimate, double p,
            long permutations, boolean exact, String test) {}

    /**
     * The measure restricted to one template (all its paraphrases) or one context.
     *
     * @param by {@code template} or {@code context}
     * @param key the template id or the context text
     * @param meanAbsLean mean over targets of |lean| in this slice, bootstrap CI over the other factors
     * @param meanLean mean over targets of the signed lean in this slice, same CI
     */
    public record Slice(String by, String key, Estimate meanAbsLean, Estimate meanLean) {}
}
