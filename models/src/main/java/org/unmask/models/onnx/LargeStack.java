package org.unmask.models.onnx;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a call on a fresh thread with a large native stack. ONNX Runtime 1.29 recurses deeply while it creates its
 * environment (about 12,000 native frames in the CLI's process; the depth grows with the process, e.g. its class
 * path: a bare class path passes on a 256 KB thread, the test class path does not), more than the 1 MB a Java thread
 * gets by default: the JVM then dies with a segmentation fault (no exception, no hs_err file). The reservation is
 * virtual memory: only the pages the recursion touches are committed.
 */
final class LargeStack {
    /** Generous: 64 MB was measured to be enough. */
    static final long STACK_BYTES = 512L << 20;

    private LargeStack() {}

    static <T> T call(String name, Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        result.set(body.call());
                    } catch (Throwable e) { // handed to the caller's thread below, rethrown there
                        failure.set(e);
                    }
                },
                name,
                STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.join(); // the session being built owns native memory: never leave it half-made behind us
            throw e;
        }
        Throwable e = failure.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return result.get();
    }
}
