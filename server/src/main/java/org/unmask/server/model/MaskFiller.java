package org.unmask.server.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
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
 *
 * <p>The work a request may cause is bounded before it runs: {@link #forwardPasses} counts, from the tokenised
 * request, the forward passes it needs, and more than {@link ServerLimits#maxForwardPasses()} is refused with 422.
 * While a request waits, a timeout or a client that has gone cancels its submission, so the model thread does not
 * keep working for nobody.
 */
public final class MaskFiller {
    /** How often a waiting request checks whether its client is still there. */
    private static final long CANCEL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

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
            throw ApiException.badRequest(
                    "text_too_long",
                    field + " has " + text.length() + " characters, more than the limit of " + limits.maxTextChars(),
                    "shorten the text");
        }
        if (!text.contains(MaskFillRequest.MASK)) {
            throw ApiException.badRequest(
                    "no_mask",
                    field + " has no [MASK]",
                    "write [MASK] where the model should predict a word, e.g. \"She works as a [MASK].\"");
        }
        int tokens = tokenizer
                .encode(text.replace(MaskFillRequest.MASK, tokenizer.maskToken()))
                .length();
        if (tokens > maxTokens) {
            throw ApiException.badRequest(
                    "text_too_many_tokens",
                    field + " is " + tokens + " model tokens long, more than the limit of " + maxTokens,
                    "shorten the text");
        }
    }

    /**
     * The forward passes {@code requests} need at most: per text one pass for top-k and single-piece targets, plus,
     * at every mask, one pass per word piece of every multi-piece target (the chain rule). The executor may merge
     * equal passes, so this is an upper bound.
     */
    public long forwardPasses(List<MaskFillRequest> requests) {
        Map<String, Integer> pieces = new HashMap<>();
        long passes = 0;
        for (MaskFillRequest r : requests) {
            long chain = 0;
            for (String t : r.targets()) {
                int n = pieces.computeIfAbsent(
                        t, w -> tokenizer.encodeWithoutSpecials(w).length());
                chain += n > 1 ? n : 0;
            }
            passes += 1 + masks(r.text()) * chain;
        }
        return passes;
    }

    private long masks(String text) {
        int maskId = tokenizer.maskTokenId();
        long n = 0;
        for (int id : tokenizer
                .encode(text.replace(MaskFillRequest.MASK, tokenizer.maskToken()))
                .ids()) {
            n += id == maskId ? 1 : 0;
        }
        return n;
    }

    /** Runs fill-mask requests that nobody cancels (see {@link #fill(List, Cancellation)}). */
    public List<MaskFillResult> fill(List<MaskFillRequest> requests) throws ApiException {
        return fill(requests, Cancellation.NONE);
    }

    /**
     * Runs fill-mask requests (already checked) together and returns answers in request order.
     *
     * @param cancel asked while waiting; once it says so, the work is dropped and the answer is a 503
     * @throws ApiException 422 {@code too_much_work} when the requests need more forward passes than the limit
     */
    public List<MaskFillResult> fill(List<MaskFillRequest> requests, Cancellation cancel) throws ApiException {
        long passes = forwardPasses(requests);
        if (passes > limits.maxForwardPasses()) {
            throw new ApiException(
                    422,
                    "too_much_work",
                    "this request needs " + passes + " model forward passes, "
                            + "more than the limit of " + limits.maxForwardPasses()
                            + " per request (one per text, plus one "
                            + "per word piece of every multi-piece target at every [MASK])",
                    "use fewer [MASK]s, fewer or shorter targets, or split the request");
        }
        Map<ModelRequest<?>, Object> answers = run(requests, cancel);
        List<MaskFillResult> out = new ArrayList<>();
        for (MaskFillRequest r : requests) {
            out.add((MaskFillResult) answers.get(r));
        }
        return out;
    }

    private Map<ModelRequest<?>, Object> run(List<? extends ModelRequest<?>> requests, Cancellation cancel)
            throws ApiException {
        CompletableFuture<Map<ModelRequest<?>, Object>> f;
        try {
            f = worker.submit(requests);
        } catch (WorkerBusyException e) {
            throw new ApiException(429, "model_busy", e.getMessage(), "retry in a second");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.requestTimeoutMillis());
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    worker.cancel(f);
                    throw new ApiException(
                            503,
                            "model_timeout",
                            "the model did not answer within " + limits.requestTimeoutMillis() + " ms",
                            "retry later; the server is overloaded");
                }
                if (cancel.requested()) {
                    worker.cancel(f);
                    throw new ApiException(503, "client_gone", "the client closed the connection", "");
                }
                try {
                    return f.get(Math.min(left, CANCEL_POLL_NANOS), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // not yet: check the deadline and the client again
                }
            }
        } catch (InterruptedException e) {
            worker.cancel(f);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "stopping", "the server is stopping", "");
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (CancellationException e) {
            throw new ApiException(503, "stopping", "the server is stopping", "");
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
