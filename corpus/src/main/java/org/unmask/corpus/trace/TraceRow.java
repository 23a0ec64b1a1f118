package org.unmask.corpus.trace;

/**
 * One occupation in the data–model comparison; percentages are 0–100, NaN when unknown.
 *
 * @param occupation the occupation
 * @param dataPctFemale corpus % female (sentence level: female-only / (male-only + female-only) sentences)
 * @param dataN the number of gendered sentences behind {@code dataPctFemale}
 * @param modelPctFemale model % female from the pronoun-lean probe: {@code 100 · σ(lean)}
 * @param modelLean the probe's lean (log P(female pronouns) − log P(male pronouns))
 * @param blsPctFemale real-world share of women (BLS)
 */
public record TraceRow(String occupation, double dataPctFemale, long dataN, double modelPctFemale, double modelLean,
        double blsPctFemale) {
    /** Amplification in percentage points: model − data (positive = the model is more female than its data). */
    public double amplification() {
        return modelPctFemale - dataPctFemale;
    }
}
