package org.unmask.cli.mitigate;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C during a training run into a stop request: the run sees {@link #requested()}, finishes its step and
 * checkpoints, and only then does the JVM exit (the hook waits for {@link #close()}, at most ten minutes).
 */
final class CtrlCStop implements AutoCloseable {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    CtrlCStop(String threadName) {
        hook = new Thread(
                () -> {
                    requested.set(true);
                    try {
                        finished.await(10, TimeUnit.MINUTES); // let the current step finish and checkpoint
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                threadName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting because of Ctrl-C; the hook is already running
        }
    }
}
