package org.unmask.models.perf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Compiles a small C probe shipped as a resource of this package with the local gcc ({@code -march=native}) and runs
 * it, for the machine limits Java cannot reach reliably (AVX-512 FMAs, 2 MiB-aligned huge-page memory). Empty when
 * gcc, the compile or the run fails, so callers fall back or report "unknown".
 */
final class NativeProbe {
    private NativeProbe() {}

    /** The probe's standard output, or empty. */
    static Optional<String> run(String resource, List<String> gccFlags, String... args) {
        try {
            Path dir = Files.createTempDirectory("unmask-probe");
            try {
                Path src = dir.resolve(resource);
                try (InputStream in = NativeProbe.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return Optional.empty();
                    }
                    Files.copy(in, src);
                }
                Path bin = dir.resolve("probe");
                List<String> cc = new ArrayList<>(List.of("gcc"));
                cc.addAll(gccFlags);
                cc.addAll(List.of("-march=native", "-pthread", src.toString(), "-o", bin.toString()));
                if (!exec(new ProcessBuilder(cc)).isEmpty() || !Files.isExecutable(bin)) {
                    return Optional.empty();
                }
                List<String> cmd = new ArrayList<>(List.of(bin.toString()));
                cmd.addAll(List.of(args));
                return Optional.of(exec(new ProcessBuilder(cmd)));
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Runs a process; returns its output (compiler: empty on success). */
    private static String exec(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ": " + out);
        }
        return out;
    }
}
