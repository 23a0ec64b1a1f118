package org.unmask.models.perf;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures this machine's FP32 FMA peak with a small C loop (shipped as a resource) compiled by the
 * local gcc with {@code -march=native}: Java cannot issue AVX-512 FMAs reliably, and the peak differs
 * between machines of the same "2 cores" (Zen 4 ≈ 227 GFLOP/s, Zen 5 with full 512-bit FMA ≈ 480).
 */
public final class PeakProbe {
    private static final Pattern ALL_THREADS = Pattern.compile("\\((\\d+)-bit\\) \\d+ threads: ([0-9.]+) GFLOP/s");

    private PeakProbe() {}

    /** The best all-core GFLOP/s over the vector widths, or empty when gcc or the run fails. */
    public static OptionalDouble measure() {
        Optional<String> out = NativeProbe.run("fma_peak.c", List.of("-O2"));
        if (out.isEmpty()) {
            return OptionalDouble.empty();
        }
        double best = 0;
        Matcher m = ALL_THREADS.matcher(out.get());
        while (m.find()) {
            best = Math.max(best, Double.parseDouble(m.group(2)));
        }
        return best > 0 ? OptionalDouble.of(best) : OptionalDouble.empty();
    }
}
