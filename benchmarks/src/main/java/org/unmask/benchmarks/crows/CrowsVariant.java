package org.unmask.benchmarks.crows;

/**
 * The published ways of scoring a CrowS-Pairs sentence: two for masked LMs, one for causal LMs.
 */
public enum CrowsVariant {
    /**
     * Nangia et al. 2020 ({@code metric.py}): align the two sentences' token ids with difflib, take the tokens in
     * {@code equal} blocks (the unmodified ones) except the first and last of that list ([CLS], [SEP]), mask
     * each on its own and sum {@code log P(token | rest)}: {@code score(S) = Σ_{u∈U} log P(u | S without u)}.
     */
    PLL_UNMODIFIED("crows-pairs/pll-unmodified"),
    /**
     * Meade et al. 2022 (bias-bench {@code crows.py}, {@code _get_span(..., "diff")}): the tokens in every
     * non-{@code equal} opcode (the changed ones), masked one at a time, scored by the mean log-probability;
     * a pair is skipped when either sentence has no changed token.
     */
    BIAS_BENCH_CHANGED_MEAN("crows-pairs/bias-bench-changed-mean"),
    /**
     * Causal LMs, as lm-evaluation-harness's {@code crows_pairs} task: the log-likelihood of the whole
     * sentence from the beginning-of-text token, {@code score(S) = Σ_i log P(s_i | s_<i)}; sent_more is
     * preferred when its score is higher. (lm-eval reports the likelihood difference and the share
     * preferring sent_more; this is the latter.)
     */
    CAUSAL_SENTENCE_LOGLIK("crows-pairs/causal-sentence-loglik");

    private final String metricId;

    CrowsVariant(String metricId) {
        this.metricId = metricId;
    }

    public String metricId() {
        return metricId;
    }

    /** Whether this variant scores with a causal LM (else with a masked LM). */
    public boolean causal() {
        return this == CAUSAL_SENTENCE_LOGLIK;
    }
}
