package org.unmask.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.json.ResultJson;

/** Writes benchmark results as JSON (atomically: temp file in the same folder, then an atomic move). */
public final class ResultWriter {
    private static final ObjectMapper JSON = mapper();

    /** NaN and infinities become {@code null}, the convention of the audit report's JSON. */
    private static ObjectMapper mapper() {
        return ResultJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private ResultWriter() {}

    public static String json(BenchmarkResult r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("benchmark result is not serialisable", e);
        }
    }

    /** Writes {@code <dir>/<benchmark>--<model>.json} and returns its path. */
    public static Path write(BenchmarkResult r, Path dir) throws InvalidInputException {
        String model = safe(r.provenance().modelId());
        String name = (r.benchmark() + "--" + model + (r.options().limit() > 0 ? "--limit" + r.options().limit() : "")
                + (r.options().biasType() != null ? "--" + r.options().biasType() : "")
                + (r.options().variant() != null ? "--" + safe(r.options().variant()) : "")
                + ".json")
                .toLowerCase(Locale.ROOT);
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(name);
            Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
            Files.writeString(tmp, json(r), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new InvalidInputException("cannot write results to " + dir + ": " + e.getMessage(),
                    "choose a writable --out folder");
        }
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /** A fixed-width text table of the metrics, for terminals. */
    public static String table(BenchmarkResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.name()).append(" — model ").append(r.provenance().modelId()).append('\n');
        sb.append(String.format(Locale.ROOT, "%-40s %-36s %9s %21s %6s%n", "metric", "group", "value", "95% CI", "n"));
        for (MetricValue m : r.metrics()) {
            String ci = Double.isNaN(m.ciLow()) ? ""
                    : String.format(Locale.ROOT, "[%.2f, %.2f]", m.ciLow(), m.ciHigh());
            sb.append(String.format(Locale.ROOT, "%-40s %-36s %9.3f %21s %6d%n", m.metric(), m.group(), m.value(), ci,
                    m.n()));
        }
        if (r.skipped().total() > 0) {
            sb.append("skipped: ").append(r.skipped().byReason()).append('\n');
        }
        for (String n : r.notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        sb.append("timing: ").append(r.timing()).append('\n');
        return sb.toString();
    }
}
