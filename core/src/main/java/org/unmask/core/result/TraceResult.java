package org.unmask.core.result;

import java.util.List;
import org.unmask.core.stats.Estimate;

/**
 * What {@code unmask trace} found: corpus statistics linked to a model's bias per occupation, written as
 * {@code trace.json} (schema {@value #SCHEMA}) and read back by {@link ResultCodec#readTrace}. Percentages are
 * 0–100; an undefined number is NaN (written as {@code null}). The JSON names that differ from the components are
 * set in the codec, so the record carries no Jackson annotations (its readers need no Jackson on their classpath).
 *
 * @param schema {@value #SCHEMA}
 * @param corpusStats the {@code corpus-stats.json} it read
 * @param audit the {@code result.json} it read
 * @param minSentences gendered sentences an occupation needs in the corpus to be compared
 * @param modelPctFemale how the model's % female is defined ({@link #MODEL_PCT_FEMALE})
 * @param dataPctFemale how the corpus's % female is defined ({@link #DATA_PCT_FEMALE})
 * @param pearsonDataModel Pearson r of data vs model % female, Fisher-z 95 % interval
 * @param spearmanDataModel Spearman ρ of data vs model
 * @param pearsonDataBls Pearson r of data vs BLS, over the occupations with a BLS share
 * @param pearsonModelBls Pearson r of model vs BLS, likewise
 * @param meanAmplificationPoints mean of model − data, percentage points (0 ideal)
 * @param skewAmplificationPoints mean |model − 50| − mean |data − 50| (&gt; 0: the model is more one-sided)
 * @param slopeModelOnData least-squares slope of model on data (1 reproduces, &gt; 1 amplifies)
 * @param occupations the compared occupations, in word-list order (left out of the file when there is none, as
 *     schema-1 writers did)
 * @param excluded occupations not compared, each with the reason (likewise left out when empty)
 */
public record TraceResult(String schema, String corpusStats, String audit, int minSentences, String modelPctFemale,
        String dataPctFemale, Coefficient pearsonDataModel, Coefficient spearmanDataModel,
        Coefficient pearsonDataBls, Coefficient pearsonModelBls, double meanAmplificationPoints,
        double skewAmplificationPoints, double slopeModelOnData,
        List<Occupation> occupations, List<String> excluded) {
    /** The schema id this build writes and reads. */
    public static final String SCHEMA = "unmask.trace/1";
    /** The definition of the model's % female, written into the file for readers. */
    public static final String MODEL_PCT_FEMALE = "100 * sigmoid(pronoun-lean)";
    /** The definition of the corpus's % female, written into the file for readers. */
    public static final String DATA_PCT_FEMALE = "sentence level, female-only / (male-only + female-only)";

    public TraceResult {
        occupations = List.copyOf(occupations);
        excluded = List.copyOf(excluded);
    }

    /**
     * A correlation coefficient with its 95 % interval.
     *
     * @param value the coefficient, NaN when undefined
     * @param ciLow lower end of the interval, NaN when none
     * @param ciHigh upper end, NaN when none
     * @param n the pairs it rests on
     */
    public record Coefficient(double value, double ciLow, double ciHigh, int n) {
        /** The coefficient of an estimate. */
        public static Coefficient of(Estimate e) {
            return new Coefficient(e.value(), e.ci95().lower(), e.ci95().upper(), e.n());
        }
    }

    /**
     * One compared occupation.
     *
     * @param occupation the occupation
     * @param dataPctFemale corpus % female (sentence level: female-only / (male-only + female-only) sentences)
     * @param dataN the number of gendered sentences behind {@code dataPctFemale}
     * @param modelPctFemale model % female from the pronoun-lean probe: {@code 100 · σ(lean)}
     * @param modelLean the probe's lean (log P(female pronouns) − log P(male pronouns))
     * @param blsPctFemale real-world share of women (BLS), NaN when unknown
     */
    public record Occupation(String occupation, double dataPctFemale, long dataN, double modelPctFemale,
            double modelLean, double blsPctFemale) {
        /**
         * Amplification in percentage points: model − data (positive = the model is more female than its data);
         * written as {@code amplificationPoints}.
         */
        public double amplification() {
            return modelPctFemale - dataPctFemale;
        }
    }
}
