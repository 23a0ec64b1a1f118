package org.unmask.server;

/**
 * What one request and one client may ask of the server. Every request limit is enforced before any model
 * work and answered with a 4xx JSON error that names the limit; the connection limits are enforced by
 * {@link org.unmask.server.http.ConnectionGate} before a request reaches a handler thread. docs/security.md lists
 * every limit with its default and the {@code unmask serve} option that changes it.
 *
 * @param maxBodyBytes largest request body (413 beyond)
 * @param maxTextChars longest text or template in characters
 * @param maxTextTokens longest text in model tokens, special tokens included (also capped by the model)
 * @param maxTopK largest {@code top_k}
 * @param maxTexts most texts in one fill-mask request
 * @param maxTargets most target words in one fill-mask request
 * @param maxTargetChars longest target word
 * @param requestTimeoutMillis how long a request may wait for the model before a 503; its work is then dropped
 * @param maxForwardPasses most model forward passes one request may cause, counted from the tokenised request
 *     before it runs (one per text, plus one per word piece of every multi-piece target at every mask); 422 beyond
 * @param headerTimeoutMillis how long a client may take to send the request line and headers (408 beyond)
 * @param bodyTimeoutMillis how long a client may take to send the body once the headers are in (408 beyond)
 * @param maxHeaderBytes largest request line plus headers (431 beyond)
 * @param maxConnections most open connections in all (503 beyond)
 * @param maxConnectionsPerClient most open connections from one client address (429 beyond); as every request
 *     has its own connection, this is also the most requests one client may have waiting for the model
 */
public record ServerLimits(
        int maxBodyBytes,
        int maxTextChars,
        int maxTextTokens,
        int maxTopK,
        int maxTexts,
        int maxTargets,
        int maxTargetChars,
        long requestTimeoutMillis,
        int maxForwardPasses,
        int headerTimeoutMillis,
        int bodyTimeoutMillis,
        int maxHeaderBytes,
        int maxConnections,
        int maxConnectionsPerClient) {
    public static final ServerLimits DEFAULT =
            new ServerLimits(64 * 1024, 1000, 128, 50, 32, 100, 50, 60_000, 256, 5_000, 10_000, 16 * 1024, 512, 64);

    public ServerLimits {
        if (maxBodyBytes < 1024
                || maxTextChars < 1
                || maxTextTokens < 3
                || maxTopK < 1
                || maxTexts < 1
                || maxTargets < 0
                || maxTargetChars < 1
                || requestTimeoutMillis < 1
                || maxForwardPasses < 1
                || headerTimeoutMillis < 1
                || bodyTimeoutMillis < 1
                || maxHeaderBytes < 1024
                || maxConnections < 1
                || maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("server limits out of range");
        }
    }

    public ServerLimits withRequestTimeoutMillis(long millis) {
        return new ServerLimits(
                maxBodyBytes,
                maxTextChars,
                maxTextTokens,
                maxTopK,
                maxTexts,
                maxTargets,
                maxTargetChars,
                millis,
                maxForwardPasses,
                headerTimeoutMillis,
                bodyTimeoutMillis,
                maxHeaderBytes,
                maxConnections,
                maxConnectionsPerClient);
    }

    public ServerLimits withMaxForwardPasses(int passes) {
        return new ServerLimits(
                maxBodyBytes,
                maxTextChars,
                maxTextTokens,
                maxTopK,
                maxTexts,
                maxTargets,
                maxTargetChars,
                requestTimeoutMillis,
                passes,
                headerTimeoutMillis,
                bodyTimeoutMillis,
                maxHeaderBytes,
                maxConnections,
                maxConnectionsPerClient);
    }

    public ServerLimits withReadTimeouts(int headerMillis, int bodyMillis) {
        return new ServerLimits(
                maxBodyBytes,
                maxTextChars,
                maxTextTokens,
                maxTopK,
                maxTexts,
                maxTargets,
                maxTargetChars,
                requestTimeoutMillis,
                maxForwardPasses,
                headerMillis,
                bodyMillis,
                maxHeaderBytes,
                maxConnections,
                maxConnectionsPerClient);
    }

    public ServerLimits withConnections(int total, int perClient) {
        return new ServerLimits(
                maxBodyBytes,
                maxTextChars,
                maxTextTokens,
                maxTopK,
                maxTexts,
                maxTargets,
                maxTargetChars,
                requestTimeoutMillis,
                maxForwardPasses,
                headerTimeoutMillis,
                bodyTimeoutMillis,
                maxHeaderBytes,
                total,
                perClient);
    }
}
