package org.unmask.server.model;

/**
 * How the model thread groups concurrent requests.
 *
 * @param enabled false runs each submission alone, in arrival order (the one-at-a-time baseline)
 * @param maxWaitMillis how long the model thread waits for more submissions after the first arrives
 * @param maxRequests the most model requests it collects into one {@code executeMixed} call
 * @param queueCapacity the most submissions waiting; beyond it the server answers 503
 */
public record BatchingOptions(boolean enabled, int maxWaitMillis, int maxRequests, int queueCapacity) {
    public static final BatchingOptions DEFAULT = new BatchingOptions(true, 5, 64, 256);

    public BatchingOptions {
        if (maxWaitMillis < 0 || maxRequests < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("need maxWaitMillis >= 0, maxRequests >= 1, queueCapacity >= 1");
        }
    }

    public BatchingOptions withEnabled(boolean on) {
        return new BatchingOptions(on, maxWaitMillis, maxRequests, queueCapacity);
    }
}
