package org.unmask.core.engine;

/**
 * Counters of one executor, for reports and benchmarks.
 *
 * @param requests requests received, duplicates included
 * @param uniqueRequests distinct requests after deduplication
 * @param cacheHits requests answered from the cache
 * @param forwardInputs distinct input sequences sent to the model
 * @param batches model calls
 * @param modelNanos wall time spent inside the model
 * @param sampled continuations sampled by the model (generation requests not answered from a cache or journal)
 */
public record ExecutionStats(
        long requests,
        long uniqueRequests,
        long cacheHits,
        long forwardInputs,
        long batches,
        long modelNanos,
        long sampled) {
    public double modelSeconds() {
        return modelNanos / 1e9;
    }
}
