package org.unmask.models.djl.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a fine-tuning run needs.
 *
 * @param modelRef the parent model reference (folder or id, as for {@code ModelLoader.load})
 * @param data the training data file
 * @param field the JSON text field (JSONL data)
 * @param out the output folder (Hugging Face layout); resumed when it holds this same run's checkpoints
 * @param config hyper-parameters
 * @param longText what to do with documents longer than {@code config.maxLength()}
 * @param keepCheckpoints keep {@code out/checkpoints} after a finished run (otherwise deleted)
 * @param objective the objective, or null to choose it from the architecture (masked LM for the BERT family,
 *     next token for causal LMs); a named one that the architecture cannot train is an error
 */
public record FineTuneSpec(
        String modelRef,
        Path data,
        String field,
        Path out,
        TrainConfig config,
        TrainingData.LongText longText,
        boolean keepCheckpoints,
        Objective objective) {
    /** With the objective chosen from the architecture. */
    public FineTuneSpec(
            String modelRef,
            Path data,
            String field,
            Path out,
            TrainConfig config,
            TrainingData.LongText longText,
            boolean keepCheckpoints) {
        this(modelRef, data, field, out, config, longText, keepCheckpoints, null);
    }

    public FineTuneSpec {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(longText, "longText");
    }
}
