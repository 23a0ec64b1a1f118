package org.unmask.core.result;

import java.util.List;
import org.unmask.core.stats.Estimate;

/**
 * What {@code unmask trace} found: corpus statistics linked to a model's bias per occupation, written as
 * {@code trace.json} (schema {@value #SCHEMA}) and read back by {@link ResultCodec#readTrace}. Percentages are
 * 0–100; an undefined number is NaN (written as {@code null}).
 *
 * <p>Schema 2 added {@link #runs}: one entry per audit, measure and decoding setting (several audits, e.g. base
 * and instruct, are traced at once). The top-level fields keep their schema-1 meaning and describe the first run,
 * so a schema-1 reader of the top level still reads a schema-2 file right; a schema-1 file reads with no runs. The JSON names that differ from the components are
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
 * @param runs every traced run (audit × measure × setting), the first one being the top level's; empty when read
 *     from a schema-1 file (left out of the file when empty)
 */
public record TraceResult(
        String schema,
        String corpusStats,
        String audit,
        int minSentences,
        String modelPctFemale,
        String dataPctFemale,
        Coefficient pearsonDataModel,
        Coefficient spearmanDataModel,
        Coefficient pearsonDataBls,
        Coefficient pearsonModelBls,
        double meanAmplificationPoints,
        double skewAmplificationPoints,
        double slopeModelOnData,
        List<Occupation> occupations,
        List<String> excluded,
        List<Run> runs) {
    /** The schema id this build writes. */
    public static final String SCHEMA = "unmask.trace/2";
    /** The schema id of files written before several runs were traced; still read (with no runs). */
    public static final String SCHEMA_1 = "unmask.trace/1";
    /** The definition of the model's % female, written into the file for readers. */
    public static final String MODEL_PCT_FEMALE = "100 * sigmoid(pronoun-lean)";
    /** The definition of the corpus's % female, written into the file for readers. */
    public static final String DATA_PCT_FEMALE = "sentence level, female-only / (male-only + female-only)";

    public TraceResult {
        occupations = List.copyOf(occupations);
        excluded = List.copyOf(excluded);
        runs = List.copyOf(runs);
    }

    /**
     * One traced run: one audit's measure under one decoding setting, against the corpus.
     *
     * @param label for people and the chart legend, e.g. {@code base · temperature-0.7}
     * @param audit the {@code result.json} it read
     * @param measure the measure kind the model side came from ({@code generation}, {@code zero-shot},
     *     {@code pronoun-lean} or {@code cooccurrence-log-ratio})
     * @param measureName the measure's name in the audit's suite
     * @param setting the decoding setting's name ({@code ""} for measures without settings)
     * @param modelPctFemale how the model's % female is defined for this measure
     * @param amplification mean over the compared occupations of model − data % female (percentage points) with a
     *     seeded 95 % BCa interval of the bootstrap over occupations; n = occupations
     * @param amplificationCi how that interval was made
     * @param pearsonDataModel Pearson r of data vs model % female, Fisher-z 95 % interval
     * @param slopeModelOnData least-squares slope of model on data (1 reproduces, &gt; 1 amplifies)
     * @param points the compared occupations, in word-list order
     * @param excluded occupations not compared, each with the reason
     */
    public record Run(
            String label,
            String audit,
            String measure,
            String measureName,
            String setting,
            String modelPctFemale,
            Coefficient amplification,
            String amplificationCi,
            Coefficient pearsonDataModel,
            double slopeModelOnData,
            List<Point> points,
            List<String> excluded) {
        public Run {
            points = List.copyOf(points);
            excluded = List.copyOf(excluded);
        }
    }

    /**
     * One occupation of a run.
     *
     * @param occupation the occupation
     * @param dataPctFemale corpus % female
     * @param dataN gendered sentences behind it
     * @param modelPctFemale model % female (see the run's {@code modelPctFemale})
     * @param modelCiLow lower end of the model share's 95 % interval (Wilson for counted shares, the lean's
     *     interval through the sigmoid for lean measures), NaN when none
     * @param modelCiHigh upper end, likewise
     * @param modelN what the model share rests on: gendered continuations, answered questions, or lean items
     *     (0 when unknown)
     * @param blsPctFemale real-world share of women (BLS), NaN when unknown
     */
    public record Point(
            String occupation,
            double dataPctFemale,
            long dataN,
            double modelPctFemale,
            double modelCiLow,
            double modelCiHigh,
            long modelN,
            double blsPctFemale) {
        /** Model − data, percentage points; written as {@code amplificationPoints}. */
        public double amplification() {
            return modelPctFemale - dataPctFemale;
        }
    }

    /**
     * A correlation coefficient (or, for a run's amplification, a mean) with its 95 % interval.
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
     * @param modelPctFemale model % female (see {@code modelPctFemale} of the trace; in schema 1 always from the
     *     pronoun-lean probe: {@code 100 · σ(lean)})
     * @param modelLean the lean measure's lean (log P(female) − log P(male)); NaN when the model side is a share
     *     counted from continuations or answers
     * @param blsPctFemale real-world share of women (BLS), NaN when unknown
     */
    public record Occupation(
            String occupation,
            double dataPctFemale,
            long dataN,
            double modelPctFemale,
            double modelLean,
            double blsPctFemale) {
        /**
         * Amplification in percentage points: model − data (positive = the model is more female than its data);
         * written as {@code amplificationPoints}.
         */
        public double amplification() {
            return modelPctFemale - dataPctFemale;
        }
    }
}
