package org.unmask.core.engine;

/**
 * How the executor batches and caches.
 *
 * @param batchSize the most input sequences per model call
 * @param cacheEntries the most answers kept in memory (LRU); 0 disables the cache
 */
public record ExecutorOptions(int batchSize, int cacheEntries) {
    public static final ExecutorOptions DEFAULT = new ExecutorOptions(32, 200_000);

    public ExecutorOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        if (cacheEntries < 0) {
            throw new IllegalArgumentException("cacheEntries must be >= 0");
        }
    }
}
