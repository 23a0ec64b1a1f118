package org.unmask.core.result;

import java.util.List;
import org.unmask.core.result.LeanResult.AggregateValue;

/**
 * What a sampled-generation study found, per decoding setting.
 *
 * @param name measure name
 * @param measure {@code generation}
 * @param formula how continuations are labelled and the share is formed, for reports
 * @param femaleList term list marking a continuation female
 * @param maleList term list marking a continuation male
 * @param targetList term list filling the prompts
 * @param statName the targets' statistic (e.g. {@code pct_female}, a percentage) or null
 * @param samples continuations per prompt and sampled setting (greedy settings draw one)
 * @param maxNewTokens longest continuation in tokens
 * @param settings one result per decoding setting, in suite order (the first is the effect's baseline)
 * @param items every continuation with its label
 */
public record GenerationResult(
        String name,
        String measure,
        String formula,
        String femaleList,
        String maleList,
        String targetList,
        String statName,
        int samples,
        int maxNewTokens,
        List<Setting> settings,
        List<GenerationItem> items)
        implements MeasureResult {
    public GenerationResult {
        settings = List.copyOf(settings);
        items = List.copyOf(items);
    }

    /**
     * One decoding setting's counts, aggregates and per-target shares.
     *
     * @param decoding the setting
     * @param counts labels over all its continuations
     * @param aggregates {@code female-share}, then with a statistic {@code amplification}, {@code pearson},
     *     {@code spearman}, and for every setting but the first {@code hyperparameter-effect}; each with a seeded
     *     bootstrap 95 % CI resampling targets, templates and contexts
     * @param targets per-target counts and female share
     */
    public record Setting(
            Decoding decoding, Counts counts, List<AggregateValue> aggregates, List<TargetShare> targets) {
        public Setting {
            aggregates = List.copyOf(aggregates);
            targets = List.copyOf(targets);
        }

        /** The aggregate with this id, or null. */
        public AggregateValue aggregate(String id) {
            return aggregates.stream()
                    .filter(a -> a.id().equals(id))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** How many continuations got each label. */
    public record Counts(int female, int male, int both, int none) {
        public int total() {
            return female + male + both + none;
        }

        /** {@code F / (F + M)}: continuations naming both or neither are left out, as Thaler et al. do. */
        public double femaleShare() {
            return female + male == 0 ? Double.NaN : (double) female / (female + male);
        }

        /** No continuation at all. */
        public static final Counts ZERO = new Counts(0, 0, 0, 0);
    }

    /**
     * One target under one setting.
     *
     * @param target the target word
     * @param stat its statistic or NaN
     * @param counts labels of its continuations
     * @param femaleShare {@code F / (F + M)} of its continuations, NaN when none is gendered
     */
    public record TargetShare(String target, double stat, Counts counts, double femaleShare) {}
}
