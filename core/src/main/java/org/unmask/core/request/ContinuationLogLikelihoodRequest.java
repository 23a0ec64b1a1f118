package org.unmask.core.request;

import java.util.Objects;

/**
 * Causal LM: log-likelihood of {@code continuation} given {@code context}, token by token
 * (lm-evaluation-harness {@code loglikelihood}). An empty context scores the whole text from BOS.
 */
public record ContinuationLogLikelihoodRequest(String context, String continuation)
        implements ModelRequest<TokenLogProbs> {
    public ContinuationLogLikelihoodRequest {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(continuation, "continuation");
    }
}
