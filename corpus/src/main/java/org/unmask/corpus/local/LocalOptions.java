package org.unmask.corpus.local;

import java.io.PrintStream;

/**
 * How to run the local engine.
 *
 * @param threads worker threads (shards run in parallel, one thread each)
 * @param progressBar where to draw the progress bar, or null for none
 * @param stopAfterShards stop starting new shards after this many have been counted in this run (0 = no limit);
 *     simulates an interrupted run in tests, and lets a user count a corpus in instalments
 */
public record LocalOptions(int threads, PrintStream progressBar, int stopAfterShards) {
    public LocalOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (stopAfterShards < 0) {
            throw new IllegalArgumentException("stopAfterShards must be >= 0");
        }
    }

    /** All available processors, no progress bar, no stop. */
    public static LocalOptions defaults() {
        return new LocalOptions(Runtime.getRuntime().availableProcessors(), null, 0);
    }
}
