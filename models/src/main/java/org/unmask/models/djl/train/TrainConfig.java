package org.unmask.models.djl.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;

/**
 * Fine-tuning hyper-parameters, validated on construction (out-of-range values give an
 * {@link InvalidInputException} naming the option). Defaults follow HF's Trainer and BERT MLM fine-tuning.
 *
 * @param epochs passes over the data, 1..1000
 * @param batchSize sequences per micro-batch, 1..4096
 * @param accumulation micro-batches per optimizer step (gradient accumulation), 1..1024
 * @param learningRate peak learning rate, (0, 1]
 * @param warmupRatio fraction of optimizer steps spent warming up, [0, 1)
 * @param weightDecay decoupled weight decay for non-bias, non-LayerNorm parameters, [0, 1)
 * @param maxGradNorm global-norm clipping threshold, &gt; 0
 * @param maskProbability MLM selection probability, (0, 1)
 * @param dropout dropout probability at every site where HF applies dropout in training, [0, 1); or
 *     {@link #DROPOUT_FROM_CONFIG} for the rates the model's {@code config.json} names
 *     ({@link TrainableModels#dropout})
 * @param maxLength longest sequence in tokens (specials included), 8..model maximum
 * @param seed run seed: equal seeds give equal weights
 * @param checkpointEvery optimizer steps between checkpoints, &ge; 1
 * @param adamBeta1 Adam β1
 * @param adamBeta2 Adam β2
 * @param adamEpsilon Adam ε
 */
public record TrainConfig(
        int epochs,
        int batchSize,
        int accumulation,
        double learningRate,
        double warmupRatio,
        double weightDecay,
        double maxGradNorm,
        double maskProbability,
        double dropout,
        int maxLength,
        long seed,
        int checkpointEvery,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon) {

    /** The {@code dropout} value meaning "the model config's own rates". */
    public static final double DROPOUT_FROM_CONFIG = -1;

    /** bert-base MLM fine-tuning defaults: lr 5e-5, batch 8, wd 0.01, warm-up 6 %, clip 1.0, 15 % masking. */
    public static TrainConfig defaults() {
        return new TrainConfig(3, 8, 1, 5e-5, 0.06, 0.01, 1.0, 0.15, 0.1, 128, 42, 50, 0.9, 0.999, 1e-8);
    }

    public TrainConfig {
        check(epochs >= 1 && epochs <= 1000, "--epochs", epochs, "1..1000");
        check(batchSize >= 1 && batchSize <= 4096, "--batch-size", batchSize, "1..4096");
        check(accumulation >= 1 && accumulation <= 1024, "--accumulation", accumulation, "1..1024");
        check(learningRate > 0 && learningRate <= 1, "--lr", learningRate, "(0, 1]; BERT fine-tuning uses 1e-5..1e-4");
        check(warmupRatio >= 0 && warmupRatio < 1, "--warmup-ratio", warmupRatio, "[0, 1)");
        check(weightDecay >= 0 && weightDecay < 1, "--weight-decay", weightDecay, "[0, 1)");
        check(maxGradNorm > 0 && Double.isFinite(maxGradNorm), "--max-grad-norm", maxGradNorm, "> 0");
        check(maskProbability > 0 && maskProbability < 1, "--mask-probability", maskProbability, "(0, 1)");
        check(
                dropout == DROPOUT_FROM_CONFIG || dropout >= 0 && dropout < 1,
                "--dropout",
                dropout,
                "[0, 1), or \"config\" for the model's own rates");
        check(maxLength >= 8 && maxLength <= 8192, "--max-length", maxLength, "8..the model's maximum");
        check(checkpointEvery >= 1, "--checkpoint-every", checkpointEvery, ">= 1");
        check(
                adamBeta1 >= 0 && adamBeta1 < 1 && adamBeta2 >= 0 && adamBeta2 < 1 && adamEpsilon > 0,
                "--adam-*",
                adamBeta1 + "/" + adamBeta2 + "/" + adamEpsilon,
                "0 <= beta < 1, eps > 0");
    }

    private static void check(boolean ok, String option, Object value, String range) {
        if (!ok) {
            throw new IllegalArgumentException(
                    new InvalidInputException(option + " " + value + " is out of range", "use a value in " + range));
        }
    }

    /** Settings that must be equal for a resumed run to continue the same run (all of them). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        m.put("accumulation", accumulation);
        m.put("learningRate", learningRate);
        m.put("warmupRatio", warmupRatio);
        m.put("weightDecay", weightDecay);
        m.put("maxGradNorm", maxGradNorm);
        m.put("maskProbability", maskProbability);
        m.put("dropout", dropout == DROPOUT_FROM_CONFIG ? "config" : dropout);
        m.put("maxLength", maxLength);
        m.put("seed", seed);
        m.put("checkpointEvery", checkpointEvery);
        m.put("adamBeta1", adamBeta1);
        m.put("adamBeta2", adamBeta2);
        m.put("adamEpsilon", adamEpsilon);
        m.put("schedule", "linear warm-up, linear decay to 0");
        m.put("masking", "15% style selection with 80/10/10 (DataCollatorForLanguageModeling)");
        m.put("noDecay", "*.bias, *LayerNorm*");
        return m;
    }

    /** Validates, turning a range error into the {@link InvalidInputException} it carries. */
    public static TrainConfig of(
            int epochs,
            int batchSize,
            int accumulation,
            double lr,
            double warmupRatio,
            double weightDecay,
            double maxGradNorm,
            double maskProbability,
            double dropout,
            int maxLength,
            long seed,
            int checkpointEvery)
            throws InvalidInputException {
        try {
            return new TrainConfig(
                    epochs,
                    batchSize,
                    accumulation,
                    lr,
                    warmupRatio,
                    weightDecay,
                    maxGradNorm,
                    maskProbability,
                    dropout,
                    maxLength,
                    seed,
                    checkpointEvery,
                    0.9,
                    0.999,
                    1e-8);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof InvalidInputException ii) {
                throw ii;
            }
            throw e;
        }
    }
}
