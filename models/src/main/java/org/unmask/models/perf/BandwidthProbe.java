package org.unmask.models.perf;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures this machine's main-memory read bandwidth: one thread per CPU sums its share of a 512 MB buffer, far
 * larger than any cache, and the best of several passes counts. Batch-1 generation reads every weight once per token,
 * so this, not the FMA peak, is its limit, and a limit measured too low makes every ratio to it meaningless (the
 * first version of this probe, a Java loop over a heap array on 4 KiB pages, read 15-16 GB/s on a Xeon whose ONNX
 * Runtime decode step then "read" at 1.3 times that).
 *
 * <p>What makes the reading the machine's and not the probe's: the buffer sits on 2 MiB transparent huge pages where
 * the kernel offers them (on 4 KiB pages the TLB misses of a 512 MB scan cost about a third of the bandwidth on that
 * Xeon: 16 GB/s against 27-30), the loop keeps eight independent accumulators (one would chain every add on the one
 * before it), an untimed pass warms it up, and the best of eight passes counts. A small C program does this (compiled
 * by the local gcc, like {@link PeakProbe}: Java cannot align or advise its memory); without gcc a Java loop over a
 * heap array stands in, compiled before timing, and says which pages it got. Either way the pages are read back from
 * the kernel's own account ({@code AnonHugePages}) and reported with the figure.
 */
public final class BandwidthProbe {
    private static final int LONGS = 64 << 20; // 512 MB
    private static final int PASSES = 8;
    private static final Path THP_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    private static final Path SMAPS_ROLLUP = Path.of("/proc/self/smaps_rollup");
    private static final Pattern NATIVE =
            Pattern.compile("read ([0-9.]+) GB/s, (\\d+) threads, (\\d+) MB, best of (\\d+) passes, ([^(]+?) \\(");

    /**
     * One measurement.
     *
     * @param gigabytesPerSecond the best pass, in GB/s (10^9 bytes)
     * @param megabytes the buffer size
     * @param threads threads reading it at once
     * @param passes timed passes (the best counts)
     * @param pages what backed the buffer: "2 MiB transparent huge pages", "4 KiB pages" or "unknown pages"
     * @param method "C loop" or "Java loop"
     * @param note why the buffer got those pages, for the reader of the figure (may be empty)
     */
    public record Reading(
            double gigabytesPerSecond,
            int megabytes,
            int threads,
            int passes,
            String pages,
            String method,
            String note) {
        /** How the figure was measured, for the benchmark's header line. */
        public String describe() {
            return String.format(
                    "%s, %d threads summing %d MB, best of %d passes, %s%s",
                    method, threads, megabytes, passes, pages, note.isEmpty() ? "" : " (" + note + ")");
        }

        /** Whether the buffer was on huge pages, as a batch-1 step's weights should be to reach this rate. */
        public boolean hugePages() {
            return pages.startsWith("2 MiB");
        }
    }

    private BandwidthProbe() {}

    /** Best read bandwidth over the passes, in GB/s (10^9 bytes). */
    public static double readGigabytesPerSecond() {
        return measure().gigabytesPerSecond();
    }

    /** Measures over 512 MB with all cores: the C loop where gcc is present, else the Java loop. */
    public static Reading measure() {
        Optional<Reading> c = NativeProbe.run("mem_bandwidth.c", List.of("-O3"), "512", Integer.toString(PASSES))
                .flatMap(BandwidthProbe::parseNative);
        return c.orElseGet(() -> measure(LONGS, PASSES, Runtime.getRuntime().availableProcessors()));
    }

    /** The C probe's one line, or empty when it does not read as one. */
    static Optional<Reading> parseNative(String out) {
        Matcher m = NATIVE.matcher(out);
        if (!m.find()) {
            return Optional.empty();
        }
        double gbps = Double.parseDouble(m.group(1));
        if (!(gbps > 0) || Double.isInfinite(gbps)) {
            return Optional.empty();
        }
        String pages = m.group(5).trim();
        String note = pages.startsWith("4 KiB") ? "transparent huge pages: " + thpMode() : "";
        return Optional.of(new Reading(
                gbps,
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(4)),
                pages,
                "C loop",
                note));
    }

    /** The Java loop over {@code longs} 8-byte values with {@code threads} threads, best of {@code passes}. */
    static Reading measure(int longs, int passes, int threads) {
        OptionalLong hugeBefore = anonHugeBytes();
        long[] data = new long[longs];
        for (int i = 0; i < data.length; i++) {
            data[i] = i; // touch every page so the timed passes read memory, not the shared zero page
        }
        OptionalLong hugeAfter = anonHugeBytes();
        String mode = thpMode();
        boolean asked = jvmAsksForHugePages() && !mode.equals("never") && !mode.equals("unavailable");
        String pages;
        String note = "";
        if (hugeBefore.isEmpty() || hugeAfter.isEmpty()) {
            pages = "unknown pages";
        } else if (hugeAfter.getAsLong() - hugeBefore.getAsLong() >= 8L * data.length / 2) {
            pages = "2 MiB transparent huge pages"; // the kernel's own account: the array arrived on 2 MiB pages
        } else if (asked) {
            // the heap may reuse memory committed (on huge pages) before this array, which the account cannot see
            pages = "unknown pages";
            note = "huge pages asked for, the array's not seen arriving on them";
        } else {
            pages = "4 KiB pages";
            note = "no gcc for the C loop; transparent huge pages: " + mode
                    + (mode.equals("never") || mode.equals("unavailable")
                            ? ""
                            : "; the Java heap gets them with -XX:+UseTransparentHugePages");
        }
        warmUp(data);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bandwidth-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            int chunk = (data.length + threads - 1) / threads;
            double best = 0;
            long sink = 0;
            for (int pass = 0; pass < passes; pass++) {
                List<Future<Long>> parts = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int c = 0; c < threads; c++) {
                    int from = Math.min(data.length, c * chunk);
                    int to = Math.min(data.length, from + chunk);
                    parts.add(pool.submit(() -> sum(data, from, to)));
                }
                for (Future<Long> f : parts) {
                    sink += f.get();
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, 8.0 * data.length / sec / 1e9);
            }
            if (sink == 42) { // keeps the sums alive for the JIT; never true for this data
                System.out.print("");
            }
            return new Reading(best, (int) (8L * data.length >> 20), threads, passes, pages, "Java loop", note);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing the memory bandwidth", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the bandwidth probe failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Compiles {@link #sum} before the timed passes: its first calls run in the interpreter at a tenth the rate. */
    private static void warmUp(long[] data) {
        int n = Math.min(data.length, 4096);
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += sum(data, 0, n);
        }
        if (sink == 42) {
            System.out.print("");
        }
    }

    /** Sum with four independent accumulators, so the adds overlap and only the loads bind. */
    private static long sum(long[] a, int from, int to) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return s0 + s1 + s2 + s3;
    }

    /** This process's anonymous memory on transparent huge pages, in bytes; empty where the kernel does not say. */
    private static OptionalLong anonHugeBytes() {
        return ProcessMemory.field(SMAPS_ROLLUP, "AnonHugePages:");
    }

    /** Whether this JVM runs with {@code -XX:+UseTransparentHugePages} (false where the flag does not exist). */
    private static boolean jvmAsksForHugePages() {
        try {
            return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseTransparentHugePages")
                    .getValue());
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** The OS's transparent-huge-page mode ({@code always}, {@code madvise}, {@code never}) or "unavailable". */
    static String thpMode() {
        try {
            String s = Files.readString(THP_MODE, StandardCharsets.US_ASCII);
            int open = s.indexOf('[');
            int close = s.indexOf(']', open + 1);
            return open >= 0 && close > open ? s.substring(open + 1, close) : "unavailable";
        } catch (IOException | SecurityException e) {
            return "unavailable";
        }
    }
}
