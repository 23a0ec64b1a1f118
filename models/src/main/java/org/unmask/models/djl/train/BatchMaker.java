package org.unmask.models.djl.train;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns the token rows of one micro-batch into padded inputs and labels for an {@link Objective}: masked-LM
 * corruption ({@link MlmMasking}) or next-token labels ({@link CausalBatches}). Randomness, if any, comes only from
 * {@code rnd}, which the trainer seeds from the position in the run.
 */
public interface BatchMaker {
    /** The padded batch of {@code rows} (special tokens included) with labels. */
    MaskedBatch make(List<int[]> rows, SplittableRandom rnd);
}
