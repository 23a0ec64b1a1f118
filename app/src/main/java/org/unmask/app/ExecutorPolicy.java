package org.unmask.app;

import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.model.LanguageModel;

/**
 * How every front door's request executor batches and caches, in one place: the answer cache is sized per kind of
 * work, by how often that work asks the same question twice.
 */
public enum ExecutorPolicy {
    /** A suite audit: measures share sentences (priors, templates, top-k and lean reads of one text). */
    AUDIT(200_000),
    /** A published benchmark: its variants and bias types rescore the same sentences. */
    BENCHMARK(500_000),
    /** {@code unmask fill}: a short run over the user's texts. */
    FILL_MASK(10_000),
    /** The web service: a long-lived executor shared by every client and job, kept small. */
    SERVE(20_000),
    /** Pseudo-perplexity: every masked position is asked once, so a cache would only hold memory. */
    PSEUDO_PERPLEXITY(0);

    /** Inputs per model call when the front door does not say ({@code --batch-size}'s default). */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final int cacheEntries;

    ExecutorPolicy(int cacheEntries) {
        this.cacheEntries = cacheEntries;
    }

    /** The most answers this kind of work keeps in memory. */
    public int cacheEntries() {
        return cacheEntries;
    }

    public ExecutorOptions options(int batchSize) {
        return new ExecutorOptions(batchSize, cacheEntries);
    }

    /** An executor for this kind of work on {@code model}, {@code batchSize} inputs per model call. */
    public RequestExecutor executor(LanguageModel model, int batchSize) {
        return new RequestExecutor(model, options(batchSize));
    }

    /** As {@link #executor(LanguageModel, int)} with the default batch size. */
    public RequestExecutor executor(LanguageModel model) {
        return executor(model, DEFAULT_BATCH_SIZE);
    }
}
