package org.unmask.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.result.AuditResult;

/**
 * Writes every output of an audit under one folder, each file atomically: {@code result.json} (schema-versioned,
 * with provenance), {@code items.csv} and {@code items.jsonl} (item-level scores), {@code report.html}
 * (self-contained) and {@code summary.txt} (the terminal summary).
 */
public final class AuditReport {
    private AuditReport() {}

    /** Writes the outputs; returns the paths written. */
    public static List<Path> write(AuditResult result, Path dir) throws InvalidInputException {
        List<Path> out = new ArrayList<>();
        try {
            out.add(put(dir.resolve("result.json"), JsonReport.render(result)));
            out.add(put(dir.resolve("items.csv"), ItemTables.csv(result)));
            out.add(put(dir.resolve("items.jsonl"), ItemTables.jsonl(result)));
            out.add(put(dir.resolve("report.html"), HtmlReport.render(result)));
            out.add(put(dir.resolve("summary.txt"), TerminalSummary.render(result)));
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write the report to " + dir + ": " + e.getMessage(),
                    "choose a writable folder with --out",
                    e);
        }
        return out;
    }

    private static Path put(Path p, String text) throws IOException {
        AtomicFiles.write(p, text);
        return p;
    }
}
