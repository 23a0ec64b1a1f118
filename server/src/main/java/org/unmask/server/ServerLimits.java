package org.unmask.server;

/**
 * What one request may ask for. Every limit is enforced before any model work and answered with a
 * 4xx JSON error that names the limit.
 *
 * @param maxBodyBytes largest request body (413 beyond)
 * @param maxTextChars longest text or template in characters
 * @param maxTextTokens longest text in model tokens, special tokens included (also capped by the model)
 * @param maxTopK largest {@code top_k}
 * @param maxTexts most texts in one fill-mask request
 * @param maxTargets most target words in one fill-mask request
 * @param maxTargetChars longest target word
 * @param requestTimeoutMillis how long a request may wait for the model before a 503
 */
public record ServerLimits(int maxBodyBytes, int maxTextChars, int maxTextTokens, int maxTopK, int maxTexts,
        int maxTargets, int maxTargetChars, long requestTimeoutMillis) {
    public static final ServerLimits DEFAULT = new ServerLimits(64 * 1024, 1000, 128, 50, 32, 100, 50, 60_000);

    public ServerLimits {
        if (maxBodyBytes < 1024 || maxTextChars < 1 || maxTextTokens < 3 || maxTopK < 1 || maxTexts < 1
                || maxTargets < 0 || maxTargetChars < 1 || requestTimeoutMillis < 1) {
            throw new IllegalArgumentException("server limits out of range");
        }
    }
}
