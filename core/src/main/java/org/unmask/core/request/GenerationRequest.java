package org.unmask.core.request;

import java.util.Objects;

/**
 * Causal LM: sample a continuation.
 *
 * @param prompt the left context
 * @param maxNewTokens upper bound on generated tokens
 * @param temperature softmax temperature; 0 means greedy
 * @param topK keep only the k most likely tokens (0 = off)
 * @param topP nucleus sampling mass (1 = off)
 * @param seed random seed; equal seeds give equal samples
 */
public record GenerationRequest(String prompt, int maxNewTokens, double temperature, int topK, double topP, long seed)
        implements ModelRequest<String> {
    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1");
        }
        if (temperature < 0 || topK < 0 || topP <= 0 || topP > 1) {
            throw new IllegalArgumentException("need temperature >= 0, topK >= 0, 0 < topP <= 1");
        }
    }
}
