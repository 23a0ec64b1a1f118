package org.unmask.corpus.local;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.unmask.corpus.count.ShardProcessor;

/**
 * Live counters of a local run and an optional one-line progress bar on a terminal stream: percentage of input
 * bytes (on disk, compressed), documents, uncompressed MB/s, shards done.
 */
public final class Progress implements ShardProcessor.Progress {
    final AtomicLong diskBytes = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong docs = new AtomicLong();
    final AtomicLong shardsDone = new AtomicLong();
    private final long totalDisk;
    private final int totalShards;
    private final long startNanos = System.nanoTime();

    Progress(long totalDisk, int totalShards) {
        this.totalDisk = totalDisk;
        this.totalShards = totalShards;
    }

    @Override
    public void advance(long b, long d) {
        bytes.addAndGet(b);
        docs.addAndGet(d);
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The progress line, e.g. {@code [=====>    ] 52%  312/600 MB  1,234 docs  180.5 MB/s  3/16 shards}. */
    String line() {
        double frac = totalDisk == 0 ? 1 : Math.min(1, diskBytes.get() / (double) totalDisk);
        int width = 24;
        int fill = (int) (frac * width);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < width; i++) {
            bar.append(i < fill ? '=' : i == fill ? '>' : ' ');
        }
        double s = Math.max(1e-9, seconds());
        return String.format(
                Locale.ROOT,
                "%s] %3d%%  %,d/%,d MB on disk  %,d docs  %.1f MB/s  %d/%d shards",
                bar,
                (int) (frac * 100),
                diskBytes.get() >> 20,
                totalDisk >> 20,
                docs.get(),
                bytes.get() / 1e6 / s,
                shardsDone.get(),
                totalShards);
    }

    /**
     * Starts a daemon thread drawing the bar on {@code err} until {@link Thread#interrupt()}: redrawn in place
     * 4 times a second on a terminal, one line every 10 s otherwise (logs stay readable).
     */
    Thread startBar(PrintStream err) {
        boolean tty = System.console() != null;
        Thread t = new Thread(
                () -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            err.print(tty ? "\r" + line() : line() + "\n");
                            err.flush();
                            Thread.sleep(tty ? 250 : 10_000);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    err.print((tty ? "\r" : "") + line() + "\n");
                    err.flush();
                },
                "unmask-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
