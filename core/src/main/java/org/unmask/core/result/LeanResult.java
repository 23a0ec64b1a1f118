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
 * @param warnings what a reader must know before trusting the numbers (e.g. a heterogeneous group term)
 */
public record LeanResult(
        String name,
        String measure,
        String formula,
        double ideal,
        String groupA,
        String groupB,
        String neutral,
        String targetList,
        String statName,
        double split,
        List<TargetLean> targets,
        List<AggregateValue> aggregates,
        List<Slice> slices,
        List<LeanItem> items,
        List<Warning> warnings)
        implements MeasureResult {
    public LeanResult {
        targets = List.copyOf(targets);
        aggregates = List.copyOf(aggregates);
        slices = List.copyOf(slices);
        items = List.copyOf(items);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A result without warnings. */
    public LeanResult(
            String name,
            String measure,
            String formula,
            double ideal,
            String groupA,
            String groupB,
            String neutral,
            String targetList,
            String statName,
            double split,
            List<TargetLean> targets,
            List<AggregateValue> aggregates,
            List<Slice> slices,
            List<LeanItem> items) {
        this(
                name,
                measure,
                formula,
                ideal,
                groupA,
                groupB,
                neutral,
                targetList,
                statName,
                split,
                targets,
                aggregates,
                slices,
                items,
                List.of());
    }

    /**
     * A caveat on the measure's numbers.
     *
     * @param kind stable id, e.g. {@code heterogeneous-term}
     * @param subject what it is about, e.g. the term {@code her}
     * @param message what was found, in words
     * @param fix what to do about it
     */
    public record Warning(String kind, String subject, String message, String fix) {}

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
     * @param p two-sided p-value of "true lean 0" from the recentred bootstrap null (NaN when nothing is resampled)
     * @param q its Benjamini–Hochberg q-value over the measure's targets; {@code q ≤ 0.05} marks the target
     */
    public record TargetLean(
            String target,
            Estimate lean,
            double stat,
            double meanA,
            double meanB,
            double neutralShare,
            double p,
            double q) {
        /** A target without a test. */
        public TargetLean(String target, Estimate lean, double stat, double meanA, double meanB, double neutralShare) {
            this(target, lean, stat, meanA, meanB, neutralShare, Double.NaN, Double.NaN);
        }

        /** Whether the lean is significant at false-discovery rate 5 %. */
        public boolean significant() {
            return q <= org.unmask.core.stats.Fdr.LEVEL;
        }
    }

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
     * @param noiseFloor the value expected with no bias at this noise level (mean |lean|, max |lean|), else NaN
     * @param noiseFloorP one-sided p-value of the estimate against its noise floor, else NaN
     */
    public record AggregateValue(
            String id,
            String label,
            double ideal,
            Estimate estimate,
            double p,
            long permutations,
            boolean exact,
            String test,
            double noiseFloor,
            double noiseFloorP) {
        /** An aggregate without a noise floor. */
        public AggregateValue(
                String id,
                String label,
                double ideal,
                Estimate estimate,
                double p,
                long permutations,
                boolean exact,
                String test) {
            this(id, label, ideal, estimate, p, permutations, exact, test, Double.NaN, Double.NaN);
        }
    }

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
