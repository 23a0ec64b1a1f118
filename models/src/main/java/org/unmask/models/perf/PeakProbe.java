package org.unmask.models.perf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
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
        try {
            Path dir = Files.createTempDirectory("unmask-peak");
            try {
                Path src = dir.resolve("fma_peak.c");
                try (InputStream in = PeakProbe.class.getResourceAsStream("fma_peak.c")) {
                    if (in == null) {
                        return OptionalDouble.empty();
                    }
                    Files.copy(in, src);
                }
                Path bin = dir.resolve("fma_peak");
                if (!run(new ProcessBuilder(
                                        "gcc",
                                        "-O2",
                                        "-march=native",
                                        "-pthread",
                                        src.toString(),
                                        "-o",
                                        bin.toString()))
                                .isEmpty()
                        || !Files.isExecutable(bin)) {
                    return OptionalDouble.empty();
                }
                String out = run(new ProcessBuilder(bin.toString()));
                double best = 0;
                Matcher m = ALL_THREADS.matcher(out);
                while (m.find()) {
                    best = Math.max(best, Double.parseDouble(m.group(2)));
                }
                return best > 0 ? OptionalDouble.of(best) : OptionalDouble.empty();
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    /** Runs a process; returns its output (compiler: empty on success). */
    private static String run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ": " + out);
        }
        return out;
    }
}
