package org.unmask.core.model;

import java.util.List;
import org.unmask.core.error.ModelException;

/** A model that turns texts into vectors (SEAT/WEAT). */
public interface SentenceEncoder extends LanguageModel {
    /** How token states become one vector. */
    enum Pooling {
        /** Mean of last-layer states over real (non-pad) tokens, as bias-bench and sentence-transformers do. */
        MEAN,
        /** The first token's last-layer state. */
        CLS
    }

    /** Embeds a batch of tokenised inputs (ids include special tokens). Vectors are not normalised. */
    List<float[]> embed(List<int[]> batch, Pooling pooling) throws ModelException;
}
