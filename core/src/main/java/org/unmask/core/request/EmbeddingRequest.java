package org.unmask.core.request;

import java.util.Objects;
import org.unmask.core.model.SentenceEncoder.Pooling;

/**
 * A sentence vector.
 *
 * @param text the sentence
 * @param pooling how token states are pooled
 * @param normalize whether to scale the vector to unit L2 length (bias-bench's SEAT encodings are)
 */
public record EmbeddingRequest(String text, Pooling pooling, boolean normalize) implements ModelRequest<float[]> {
    public EmbeddingRequest {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(pooling, "pooling");
    }
}
