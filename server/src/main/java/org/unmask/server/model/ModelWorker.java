package org.unmask.server.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.ModelRequest;

/**
 * The one thread that talks to the model (dynamic batching). HTTP handlers and jobs submit lists of
 * requests; the thread takes the first waiting submission, keeps collecting more for up to
 * {@link BatchingOptions#maxWaitMillis()} or until {@link BatchingOptions#maxRequests()} requests, and
 * runs them all with one {@link RequestExecutor#executeMixed} call, so concurrent clients share forward
 * passes instead of queueing one by one.
 *
 * <p>If a merged call fails on bad input, each submission is re-run alone so that one client's bad text
 * fails only that client.
 *
 * <p>Submissions are served in arrival order (FIFO). A submission whose future is cancelled ({@link #cancel}) is
 * removed from the queue, skipped if the thread has already collected it, and, while it runs, stops at the next
 * batch of forward passes once every submission in the same call is cancelled: work whose client has gone or timed
 * out is not done.
 */
public final class ModelWorker implements AutoCloseable {
    private record Submission(List<ModelRequest<?>> requests, CompletableFuture<Map<ModelRequest<?>, Object>> done) {}

    private final RequestExecutor executor;
    private final BatchingOptions options;
    private final BlockingQueue<Submission> queue;
    private final Thread thread;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong submissions = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private volatile boolean running = true;

    public ModelWorker(RequestExecutor executor, BatchingOptions options) {
        this.executor = executor;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.thread = new Thread(this::loop, "unmask-model");
        thread.setDaemon(true);
        thread.start();
    }

    public RequestExecutor executor() {
        return executor;
    }

    /**
     * Queues requests for the model without blocking.
     *
     * @throws WorkerBusyException when the queue is full
     */
    public CompletableFuture<Map<ModelRequest<?>, Object>> submit(List<? extends ModelRequest<?>> requests)
            throws WorkerBusyException {
        Submission s = new Submission(List.copyOf(requests), new CompletableFuture<>());
        if (!running || !queue.offer(s)) {
            throw new WorkerBusyException();
        }
        return s.done;
    }

    /** Queues requests, waiting for room; for background jobs, which should slow down rather than fail. */
    public Map<ModelRequest<?>, Object> run(List<? extends ModelRequest<?>> requests)
            throws UnmaskException, InterruptedException {
        Submission s = new Submission(List.copyOf(requests), new CompletableFuture<>());
        queue.put(s);
        try {
            return s.done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UnmaskException u) {
                throw u;
            }
            throw new IllegalStateException("model thread failed", e.getCause());
        }
    }

    /**
     * Gives up on a submission: it is taken off the queue, or, if the model thread already has it, its remaining
     * forward passes are skipped (see the class comment).
     */
    public void cancel(CompletableFuture<Map<ModelRequest<?>, Object>> submission) {
        if (submission.cancel(false)) {
            cancelled.incrementAndGet();
            queue.removeIf(s -> s.done == submission);
        }
    }

    /**
     * Counters since start.
     *
     * @param calls {@code executeMixed} calls that succeeded
     * @param submissions submissions they answered; {@code submissions / calls} is the mean batch
     * @param cancelled submissions cancelled before they were answered (their work is dropped)
     */
    public record Stats(long calls, long submissions, long cancelled) {}

    public Stats stats() {
        return new Stats(calls.get(), submissions.get(), cancelled.get());
    }

    private void loop() {
        while (running) {
            List<Submission> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
                collect(batch);
            } catch (InterruptedException e) {
                failAll(batch, new IllegalStateException("server stopping"));
                return;
            }
            runBatch(batch);
        }
    }

    private void collect(List<Submission> batch) throws InterruptedException {
        if (!options.enabled()) {
            return;
        }
        int count = batch.get(0).requests.size();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.maxWaitMillis());
        while (count < options.maxRequests()) {
            Submission next = queue.peek();
            if (next != null && count + next.requests.size() > options.maxRequests()) {
                return; // leave it for the next call rather than overshoot
            }
            long left = deadline - System.nanoTime();
            next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                return;
            }
            batch.add(next);
            count += next.requests.size();
        }
    }

    private void runBatch(List<Submission> collected) {
        List<Submission> batch = new ArrayList<>();
        for (Submission s : collected) {
            if (!s.done.isDone()) { // else cancelled after the thread collected it
                batch.add(s);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<ModelRequest<?>> all = new ArrayList<>();
        for (Submission s : batch) {
            all.addAll(s.requests);
        }
        // called after every batch of forward passes: the earliest point at which running work can stop
        ProgressListener stopWhenAbandoned = (done, total, unit) -> {
            if (batch.stream().allMatch(s -> s.done.isDone())) {
                throw new Abandoned();
            }
        };
        try {
            Map<ModelRequest<?>, Object> answers = executor.executeMixed(all, stopWhenAbandoned);
            calls.incrementAndGet();
            submissions.addAndGet(batch.size());
            for (Submission s : batch) {
                Map<ModelRequest<?>, Object> mine = new HashMap<>();
                for (ModelRequest<?> r : s.requests) {
                    mine.put(r, answers.get(r));
                }
                s.done.complete(mine);
            }
        } catch (Abandoned e) {
            // every submission was cancelled and counted by cancel(); nothing to answer
        } catch (UnmaskException | RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).done.completeExceptionally(e);
                return;
            }
            for (Submission s : batch) {
                runBatch(List.of(s)); // isolate the submission that failed
            }
        }
    }

    /** Thrown through the executor to stop a call whose every submission was cancelled. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("every submission of this model call was cancelled", null, false, false);
        }
    }

    private static void failAll(List<Submission> batch, RuntimeException e) {
        for (Submission s : batch) {
            s.done.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        List<Submission> left = new ArrayList<>();
        queue.drainTo(left);
        failAll(left, new IllegalStateException("server stopping"));
    }
}
