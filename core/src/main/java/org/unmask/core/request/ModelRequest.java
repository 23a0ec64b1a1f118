package org.unmask.core.request;

/**
 * A typed question a probe asks a model, in text. Probes build requests and score the answers;
 * the {@link org.unmask.core.engine.RequestExecutor} deduplicates, batches and caches them, and only
 * backends turn them into tensors. Requests are values: equal requests share one answer.
 *
 * @param <R> the answer type
 */
public sealed interface ModelRequest<R>
        permits MaskFillRequest,
                PseudoLogLikelihoodRequest,
                EmbeddingRequest,
                NextTokenRequest,
                ContinuationLogLikelihoodRequest,
                GenerationRequest,
                ChatContinuationRequest,
                ChatGenerationRequest {}
