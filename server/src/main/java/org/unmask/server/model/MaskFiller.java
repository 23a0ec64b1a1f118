package org.unmask.server.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.ModelRequest;
import org.unmask.server.ServerLimits;
import org.unmask.server.http.ApiException;

/**
 * Checks interactive fill-mask input against the server limits and runs it on the shared model thread,
 * translating every failure into an {@link ApiException} with a status a client can act on.
 */
public final class MaskFiller {
    private final ModelWorker worker;
    private final TextTokenizer tokenizer;
    private final ServerLimits limits;
    private final int maxTokens;

    public MaskFiller(ModelWorker worker, TextTokenizer tokenizer, ServerLimits limits, int modelMaxLength) {
        this.worker = worker;
        this.tokenizer = tokenizer;
        this.limits = limits;
        this.maxTokens = Math.min(limits.maxTextTokens(), modelMaxLength);
    }

    public ServerLimits limits() {
        return limits;
    }

    public ModelWorker worker() {
        return worker;
    }

    /** Rejects a text that is empty, too long in characters or tokens, or has no {@code [MASK]}. */
    public void checkText(String field, String text) throws ApiException {
        if (text.isBlank()) {
            throw ApiException.badRequest("empty_text", field + " is empty", "write a sentence with [MASK] in it");
        }
        if (text.length() > limits.maxTextChars()) {
            throw ApiException.badRequest("text_too_long", field + " has " + text.length()
                    + " characters, more than the limit of " + limits.maxTextChars(), "shorten the text");
        }
        if (!text.contains(MaskFillRequest.MASK)) {
            throw ApiException.badRequest("no_mask", field + " has no [MASK]",
                    "write [MASK] where the model should predict a word, e.g. \"She works as a [MASK].\"");
        }
        int tokens = tokenizer.encode(text.replace(MaskFillRequest.MASK, tokenizer.maskToken())).length();
        if (tokens > maxTokens) {
            throw ApiException.badRequest("text_too_many_tokens", field + " is " + tokens
                    + " model tokens long, more than the limit of " + maxTokens, "shorten the text");
        }
    }

    /** Runs fill-mask requests (already checked) together and returns answers in request order. */
    public List<MaskFillResult> fill(List<MaskFillRequest> requests) throws ApiException {
        Map<ModelRequest<?>, Object> answers = run(requests);
        List<MaskFillResult> out = new ArrayList<>();
        for (MaskFillRequest r : requests) {
            out.add((MaskFillResult) answers.get(r));
        }
        return out;
    }

    private Map<ModelRequest<?>, Object> run(List<? extends ModelRequest<?>> requests) throws ApiException {
        CompletableFuture<Map<ModelRequest<?>, Object>> f;
        try {
            f = worker.submit(requests);
        } catch (WorkerBusyException e) {
            throw new ApiException(429, "model_busy", e.getMessage(), "retry in a second");
        }
        try {
            return f.get(limits.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new ApiException(503, "model_timeout", "the model did not answer within "
                    + limits.requestTimeoutMillis() + " ms", "retry later; the server is overloaded");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "stopping", "the server is stopping", "");
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        }
    }

    private static ApiException translate(Throwable cause) {
        if (cause instanceof InvalidInputException u) {
            return ApiException.badRequest("invalid_input", u.getMessage(), u.hint());
        }
        if (cause instanceof UnmaskException u) {
            return new ApiException(500, "model_error", u.getMessage(), u.hint());
        }
        throw new IllegalStateException("model thread failed", cause);
    }
}
