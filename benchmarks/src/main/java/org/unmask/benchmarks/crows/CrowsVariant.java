package org.unmask.benchmarks.crows;

/** The two published ways of scoring a CrowS-Pairs sentence with a masked LM. */
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
    BIAS_BENCH_CHANGED_MEAN("crows-pairs/bias-bench-changed-mean");

    private final String metricId;

    CrowsVariant(String metricId) {
        this.metricId = metricId;
    }

    public String metricId() {
        return metricId;
    }
}
