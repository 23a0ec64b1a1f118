package org.unmask.core.result;

import java.util.List;
import org.unmask.core.stats.Estimate;

/**
 * What a pretraining lab found ({@code lab.json}, schema {@value #SCHEMA}, read back by {@link ResultCodec#readLab}):
 * the same small model pretrained from scratch, with the same seeds and steps, on a corpus ("original") and on its
 * counterfactually augmented version ("cda"), both corpora and all models measured with one instrument. The chain a
 * reader follows: data % female per occupation (both corpora) → model % female per occupation (both arms, every seed)
 * → amplification (model − data) → the intervention's effect on the model, and what it cost (pseudo-perplexity on the
 * original corpus's held-out documents). Percentages are 0–100; an undefined number is NaN (written as {@code null}).
 * The file holds no times and no absolute paths, so a rerun with the same seeds writes the same bytes.
 *
 * @param schema {@value #SCHEMA}
 * @param name the experiment's name
 * @param setup what was run
 * @param occupations the counted occupations (enough gendered sentences in both corpora, measured in every model), in
 *     the word-list order
 * @param excluded occupations not counted, each with the reason (too few mentions, not in the suite)
 * @param effects each bias measure per arm and the intervention's effect on it, with intervals
 * @param cost pseudo-perplexity of both arms on the original corpus's held-out text
 * @param caveats what the numbers do not say, in words
 */
public record LabResult(
        String schema,
        String name,
        Setup setup,
        List<Row> occupations,
        List<Excluded> excluded,
        List<Effect> effects,
        Cost cost,
        List<String> caveats) {
    /** The schema id this build writes. */
    public static final String SCHEMA = "unmask.lab/1";

    public LabResult {
        occupations = List.copyOf(occupations);
        excluded = List.copyOf(excluded);
        effects = List.copyOf(effects);
        caveats = List.copyOf(caveats);
    }

    /**
     * What was run.
     *
     * @param corpus the original corpus's name (its folder or file name)
     * @param corpusSha256 SHA-256 over the corpus files' names and bytes
     * @param seeds the seeds; every arm trains one model per seed
     * @param pretrainConfig the pretraining configuration's name or file name
     * @param steps optimiser steps per model (0: the configuration's own)
     * @param arch {@code masked} or {@code causal}
     * @param augmentation the counterfactual augmentation's options, in words
     * @param heldoutFraction the fraction of documents held out of both arms
     * @param trainDocuments documents per arm (original, cda)
     * @param heldoutDocuments held-out documents
     * @param suite the audit suite
     * @param measure the measure kind the model's % female was read from
     * @param modelPctFemale how the model's % female is defined
     * @param dataPctFemale how the corpus's % female is defined
     * @param minSentences gendered corpus sentences an occupation needs to be counted
     * @param resamples bootstrap resamples of the intervals
     * @param bootstrapSeed seed of the bootstrap
     */
    public record Setup(
            String corpus,
            String corpusSha256,
            List<Long> seeds,
            String pretrainConfig,
            int steps,
            String arch,
            String augmentation,
            double heldoutFraction,
            List<Long> trainDocuments,
            long heldoutDocuments,
            String suite,
            String measure,
            String modelPctFemale,
            String dataPctFemale,
            int minSentences,
            int resamples,
            long bootstrapSeed) {
        public Setup {
            seeds = List.copyOf(seeds);
            trainDocuments = List.copyOf(trainDocuments);
        }
    }

    /**
     * One counted occupation through the chain.
     *
     * @param occupation the occupation
     * @param dataOriginal % female of the original corpus (gendered sentences)
     * @param nOriginal gendered sentences behind it
     * @param dataCda % female of the augmented corpus
     * @param nCda gendered sentences behind it
     * @param modelOriginal model % female of the original arm, one value per seed (seed order)
     * @param modelCda model % female of the cda arm, one value per seed
     * @param amplificationOriginal mean over seeds of model − data, original arm (points; 0 ideal)
     * @param amplificationCda mean over seeds of model − data, cda arm (points; 0 ideal)
     * @param change the intervention's effect on the model: mean over seeds of cda − original model % female (points)
     *     with a Student-t 95 % interval over the seeds (seeds paired; n = seeds)
     */
    public record Row(
            String occupation,
            double dataOriginal,
            long nOriginal,
            double dataCda,
            long nCda,
            List<Double> modelOriginal,
            List<Double> modelCda,
            double amplificationOriginal,
            double amplificationCda,
            Estimate change) {
        public Row {
            modelOriginal = List.copyOf(modelOriginal);
            modelCda = List.copyOf(modelCda);
        }
    }

    /**
     * An occupation that was not counted.
     *
     * @param occupation the occupation
     * @param nOriginal gendered sentences in the original corpus
     * @param nCda gendered sentences in the augmented corpus
     * @param reason why, in words
     */
    public record Excluded(String occupation, long nOriginal, long nCda, String reason) {}

    /**
     * One bias measure: its mean over seeds × occupations in each arm and the intervention's effect (cda − original),
     * each with a 95 % BCa interval of the crossed bootstrap over seeds and occupations; the effect also with seeds
     * alone resampled (training noise only, for these occupations).
     *
     * @param measure the measure's id, e.g. {@code amplification}
     * @param definition what is averaged, in words
     * @param ideal the value of an unbiased model or corpus, in words
     * @param original the original arm
     * @param cda the cda arm
     * @param effect cda − original
     * @param effectSeedsOnly cda − original, interval over seeds only (occupations held fixed)
     * @param noiseFloor the value the effect takes on training noise alone (NaN where it does not apply)
     * @param noiseFloorP one-sided p of the effect against that noise (NaN where it does not apply)
     */
    public record Effect(
            String measure,
            String definition,
            String ideal,
            Estimate original,
            Estimate cda,
            Estimate effect,
            Estimate effectSeedsOnly,
            double noiseFloor,
            double noiseFloorP) {}

    /**
     * What the intervention cost on the original corpus's held-out text: pseudo-perplexity for masked models,
     * held-out perplexity ({@code exp} of the mean next-token loss) for causal models.
     *
     * @param measure the cost measure's name, as the report shows it ({@link #PSEUDO_PERPLEXITY} or
     *     {@link #HELD_OUT_PERPLEXITY})
     * @param text the held-out text
     * @param sentences sentences scored
     * @param tokens tokens scored per model
     * @param perSeed each seed's two values
     * @param original the original arm's pseudo-perplexity pooled over seeds, 95 % BCa over seeds × sentences
     * @param cda the cda arm's, likewise
     * @param ratio cda / original (1: no cost), likewise
     */
    public record Cost(
            String measure,
            String text,
            int sentences,
            long tokens,
            List<SeedCost> perSeed,
            Estimate original,
            Estimate cda,
            Estimate ratio) {
        /** The masked models' cost measure. */
        public static final String PSEUDO_PERPLEXITY = "pseudo-perplexity";
        /** The causal models' cost measure: {@code exp} of the mean next-token loss on held-out blocks. */
        public static final String HELD_OUT_PERPLEXITY = "held-out perplexity";

        public Cost {
            perSeed = List.copyOf(perSeed);
        }
    }

    /**
     * One seed's cost.
     *
     * @param seed the seed
     * @param original pseudo-perplexity of the original arm's model
     * @param cda pseudo-perplexity of the cda arm's model
     */
    public record SeedCost(long seed, double original, double cda) {}
}
