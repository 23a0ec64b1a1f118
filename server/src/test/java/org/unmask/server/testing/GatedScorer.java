package org.unmask.server.testing;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.model.TokenScorer;

/**
 * A scripted model whose calls a test can hold: after {@link #hold()}, the next {@link #score} call blocks inside the
 * model until {@link #release()}, so a test can act (time out, disconnect) while work is running and then count the
 * forward passes that were actually made. Thread-safe counters; answers come from the wrapped model.
 */
public final class GatedScorer implements TokenScorer {
    private final TokenScorer delegate;
    private final AtomicInteger forwardPasses = new AtomicInteger();
    private final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
    private volatile CountDownLatch entered = new CountDownLatch(1);

    public GatedScorer(TokenScorer delegate) {
        this.delegate = delegate;
    }

    /** From now on, model calls wait for {@link #release()}. */
    public void hold() {
        gate.drainPermits();
        entered = new CountDownLatch(1);
    }

    /** Waits (at most 10 s) until a held call has entered the model. */
    public void awaitHeldCall() throws InterruptedException {
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the model was never called");
        }
    }

    /** Lets every waiting and later call through. */
    public void release() {
        gate.release(Integer.MAX_VALUE / 2);
    }

    /** Forward passes (input sequences) the model has run so far. */
    public int forwardPasses() {
        return forwardPasses.get();
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) throws ModelException {
        entered.countDown();
        try {
            if (!gate.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never released the model");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted", "");
        }
        gate.release();
        forwardPasses.addAndGet(batch.size());
        return delegate.score(batch);
    }

    @Override
    public ModelInfo info() {
        return delegate.info();
    }

    @Override
    public TextTokenizer tokenizer() {
        return delegate.tokenizer();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
