package org.unmask.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.result.ResultCodec;

/**
 * Writes benchmark results as JSON through the result codec ({@link ResultCodec}: NaN as {@code null}, a final
 * newline), atomically ({@link AtomicFiles}), and as a terminal table.
 */
public final class ResultWriter {
    private ResultWriter() {}

    /** The result file's text (ends with a newline). */
    public static String json(BenchmarkResult r) {
        return ResultCodec.render(r);
    }

    /** Writes {@code <dir>/<benchmark>--<model>.json} and returns its path. */
    public static Path write(BenchmarkResult r, Path dir) throws InvalidInputException {
        String model = safe(r.provenance().modelId());
        String name = (r.benchmark() + "--" + model
                        + (r.options().limit() > 0 ? "--limit" + r.options().limit() : "")
                        + (r.options().biasType() != null ? "--" + r.options().biasType() : "")
                        + (r.options().variant() != null
                                ? "--" + safe(r.options().variant())
                                : "")
                        + ".json")
                .toLowerCase(Locale.ROOT);
        Path target = dir.resolve(name);
        try {
            AtomicFiles.write(target, json(r));
            return target;
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write results to " + dir + ": " + e.getMessage(), "choose a writable --out folder", e);
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
            String ci =
                    Double.isNaN(m.ciLow()) ? "" : String.format(Locale.ROOT, "[%.2f, %.2f]", m.ciLow(), m.ciHigh());
            sb.append(String.format(
                    Locale.ROOT, "%-40s %-36s %9.3f %21s %6d%n", m.metric(), m.group(), m.value(), ci, m.n()));
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
