package org.unmask.probes.measure;

/**
 * A summary of a lean measure over its targets: {@code lean[t]} is target t's lean toward group A (positive) or B
 * (negative), {@code stat[t]} the target's real-world statistic when the term list has one (else NaN).
 */
public interface Aggregate {
    /** Stable kebab-case id, used in JSON and assertions. */
    String id();

    /** What to show people. */
    String label();

    /** The value an unbiased model would get. */
    double ideal();

    /** Whether it needs the targets' statistic (e.g. % female). */
    default boolean needsStat() {
        return false;
    }

    /** Whether it needs a split threshold on the statistic. */
    default boolean needsSplit() {
        return false;
    }

    /**
     * Whether the aggregate is a statement about a population of targets, so its interval resamples targets too
     * (crossed with templates, contexts and terms). False for statements about the listed targets themselves
     * (max |lean|: "the worst of these"), whose interval holds targets fixed.
     */
    default boolean overTargets() {
        return true;
    }

    /**
     * Whether it reads the targets' top-answer leans ({@code max} of A's item scores − {@code max} of B's: which side
     * holds the single most likely term) instead of their pooled leans. Only {@code cooccurrence-log-ratio} reports
     * such aggregates.
     */
    default boolean topAnswer() {
        return false;
    }

    /** The aggregate over targets with a defined lean (and statistic, when needed). */
    double compute(double[] lean, double[] stat, double split);
}
