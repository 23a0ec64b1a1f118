package org.unmask.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.unmask.core.error.InvalidInputException;

/**
 * Everything {@link Pretraining#run} needs: the corpus, the architecture preset, the output folder, the seed, the
 * length of the run and the optimizer settings. {@link #toy} and {@link #lab} are the two documented
 * configurations (CI-sized and the pretraining lab's); the {@code with*} methods change one field.
 *
 * @param corpus a folder of Dolma-style shards (.jsonl(.gz|.zst), .txt(.gz|.zst), .parquet) or one shard
 * @param textField the JSON field / Parquet column holding the text
 * @param arch an architecture preset: toy, bert-tiny, bert-mini, bert-small, bert-medium (masked LMs) or gpt2-toy,
 *     gpt2-small-lab (causal LMs)
 * @param out the model folder to write (a rerun with the same spec resumes it)
 * @param seed the run seed: init, document order, block order, masks and dropout
 * @param steps optimizer steps (when 0, derived from {@code tokens})
 * @param tokens tokens to train on (used when {@code steps} is 0: steps = ceil(tokens / (batch × seqLength)))
 * @param seqLength ids per packed block
 * @param batchSize blocks per optimizer step
 * @param learningRate peak learning rate (linear warm-up, linear decay to 0)
 * @param warmupRatio share of steps warming up
 * @param weightDecay AdamW decoupled decay (not on biases and LayerNorm)
 * @param maxGradNorm global-norm clipping
 * @param maskProbability MLM selection rate (80/10/10)
 * @param dropout hidden and attention dropout while training
 * @param heldOutFraction share of documents (by text hash) kept out of training for the held-out loss
 * @param heldOutBlocks at most this many held-out blocks are scored at the end
 * @param checkpointEvery optimizer steps between checkpoints
 * @param keepCheckpoints keep {@code out/checkpoints} after a finished run
 */
public record PretrainSpec(
        Path corpus,
        String textField,
        String arch,
        Path out,
        long seed,
        long steps,
        long tokens,
        int seqLength,
        int batchSize,
        double learningRate,
        double warmupRatio,
        double weightDecay,
        double maxGradNorm,
        double maskProbability,
        double dropout,
        double heldOutFraction,
        int heldOutBlocks,
        int checkpointEvery,
        boolean keepCheckpoints) {

    public PretrainSpec {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(textField, "textField");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(out, "out");
    }

    /** The CI configuration: a 2-layer, 64-wide BERT, 200 steps of 8 × 64 ids (well under a minute on 2 cores). */
    public static PretrainSpec toy(Path corpus, Path out, long seed) {
        return new PretrainSpec(
                corpus, "text", "toy", out, seed, 200, 0, 64, 8, 2e-3, 0.05, 0.01, 1.0, 0.15, 0.1, 0.02, 32, 100,
                false);
    }

    /**
     * The pretraining lab's configuration: bert-tiny (2 layers, 128 wide), 1,700 steps of 32 × 128 ids (6.96 M
     * tokens, about half an epoch of gutenberg-medium), sized for about 15 minutes on 2 quiet cores from the measured
     * throughput (PERFORMANCE.md): per minute it sees 3.5 times the tokens bert-mini would, and the lab is about the
     * statistics of the data.
     */
    public static PretrainSpec lab(Path corpus, Path out, long seed) {
        return new PretrainSpec(
                corpus,
                "text",
                "bert-tiny",
                out,
                seed,
                1700,
                0,
                128,
                32,
                2e-3,
                0.06,
                0.01,
                1.0,
                0.15,
                0.1,
                0.01,
                64,
                200,
                false);
    }

    /** {@link #toy} or {@link #lab} by name. */
    public static PretrainSpec preset(String name, Path corpus, Path out, long seed) throws InvalidInputException {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "toy" -> toy(corpus, out, seed);
            case "lab" -> lab(corpus, out, seed);
            default ->
                throw new InvalidInputException(
                        "--preset " + name + " is not a pretraining configuration", "choose toy or lab");
        };
    }

    /** Optimizer steps of the run. */
    public long effectiveSteps() {
        if (steps > 0) {
            return steps;
        }
        long perStep = (long) batchSize * seqLength;
        return (tokens + perStep - 1) / perStep;
    }

    public PretrainSpec withCorpus(Path c) {
        return new PretrainSpec(
                c,
                textField,
                arch,
                out,
                seed,
                steps,
                tokens,
                seqLength,
                batchSize,
                learningRate,
                warmupRatio,
                weightDecay,
                maxGradNorm,
                maskProbability,
                dropout,
                heldOutFraction,
                heldOutBlocks,
                checkpointEvery,
                keepCheckpoints);
    }

    /** The same run with another architecture preset (e.g. the lab's causal arm). */
    public PretrainSpec withArch(String a) {
        return new PretrainSpec(
                corpus,
                textField,
                a,
                out,
                seed,
                steps,
                tokens,
                seqLength,
                batchSize,
                learningRate,
                warmupRatio,
                weightDecay,
                maxGradNorm,
                maskProbability,
                dropout,
                heldOutFraction,
                heldOutBlocks,
                checkpointEvery,
                keepCheckpoints);
    }

    public PretrainSpec withOut(Path o) {
        return new PretrainSpec(
                corpus,
                textField,
                arch,
                o,
                seed,
                steps,
                tokens,
                seqLength,
                batchSize,
                learningRate,
                warmupRatio,
                weightDecay,
                maxGradNorm,
                maskProbability,
                dropout,
                heldOutFraction,
                heldOutBlocks,
                checkpointEvery,
                keepCheckpoints);
    }

    public PretrainSpec withSeed(long s) {
        return new PretrainSpec(
                corpus,
                textField,
                arch,
                out,
                s,
                steps,
                tokens,
                seqLength,
                batchSize,
                learningRate,
                warmupRatio,
                weightDecay,
                maxGradNorm,
                maskProbability,
                dropout,
                heldOutFraction,
                heldOutBlocks,
                checkpointEvery,
                keepCheckpoints);
    }

    /** A run of {@code n} steps ({@code tokens} then unused). */
    public PretrainSpec withSteps(long n) {
        return new PretrainSpec(
                corpus,
                textField,
                arch,
                out,
                seed,
                n,
                0,
                seqLength,
                batchSize,
                learningRate,
                warmupRatio,
                weightDecay,
                maxGradNorm,
                maskProbability,
                dropout,
                heldOutFraction,
                heldOutBlocks,
                checkpointEvery,
                keepCheckpoints);
    }

    public PretrainSpec withCheckpointEvery(int n) {
        return new PretrainSpec(
                corpus,
                textField,
                arch,
                out,
                seed,
                steps,
                tokens,
                seqLength,
                batchSize,
                learningRate,
                warmupRatio,
                weightDecay,
                maxGradNorm,
                maskProbability,
                dropout,
                heldOutFraction,
                heldOutBlocks,
                n,
                keepCheckpoints);
    }
}
