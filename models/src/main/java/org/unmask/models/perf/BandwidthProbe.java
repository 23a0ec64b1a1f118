package org.unmask.models.perf;

import java.util.stream.IntStream;

/**
 * Measures this machine's main-memory read bandwidth: every core sums its share of a 512 MB array,
 * far larger than any cache, and the best of a few passes counts. Batch-1 generation reads every weight
 * once per token, so this, not the FMA peak, is its limit.
 */
public final class BandwidthProbe {
    private static final int LONGS = 64 << 20; // 512 MB
    private static final int PASSES = 5;

    private BandwidthProbe() {}

    /** Best read bandwidth over the passes, in GB/s (10^9 bytes). */
    public static double readGigabytesPerSecond() {
        long[] data = new long[LONGS];
        for (int i = 0; i < data.length; i++) {
            data[i] = i; // touch every page so the timed passes read memory, not zero pages
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int chunk = (data.length + cores - 1) / cores;
        double best = 0;
        long sink = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            long t0 = System.nanoTime();
            sink += IntStream.range(0, cores)
                    .parallel()
                    .mapToLong(c -> sum(data, c * chunk, Math.min(data.length, (c + 1) * chunk)))
                    .sum();
            double sec = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 8.0 * data.length / sec / 1e9);
        }
        if (sink == 42) { // keeps the sums alive for the JIT; never true for this data
            System.out.print("");
        }
        return best;
    }

    private static long sum(long[] a, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s;
    }
}
