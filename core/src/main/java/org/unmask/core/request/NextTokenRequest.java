package org.unmask.core.request;

import java.util.List;
import java.util.Objects;

/**
 * Causal LM: the distribution of what follows {@code prompt}; top-k tokens and the exact
 * log-probability of each target word as a continuation (sum over its tokens).
 *
 * @param prompt the left context
 * @param topK how many of the most likely next tokens to report
 * @param targets words to score as continuations
 */
public record NextTokenRequest(String prompt, int topK, List<String> targets) implements ModelRequest<MaskFillResult> {
    public NextTokenRequest {
        Objects.requireNonNull(prompt, "prompt");
        targets = List.copyOf(targets);
    }
}
