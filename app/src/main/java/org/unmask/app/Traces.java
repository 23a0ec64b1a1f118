package org.unmask.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.TraceResult;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.corpus.trace.Trace;
import org.unmask.models.Backend;
import org.unmask.probes.suite.SuiteLoader;
import org.unmask.report.TraceReport;

/**
 * Traces a model's bias to its training data: per occupation, the corpus's % female against the model's (from an
 * audit) and BLS. The model's side is an earlier audit folder, or an audit run here through {@link Audits} with the
 * built-in gender-occupation suite and the default settings, so it equals a plain {@code unmask audit}.
 */
public final class Traces {
    /** Where, under the trace's output folder, an audit run for the trace is written. */
    public static final String AUDIT_DIR = "audit";

    /** Measure choice: the first usable kind each audit has. */
    public static final String AUTO = Trace.AUTO;
    /** The measure kinds a trace reads, in the order {@link #AUTO} prefers them. */
    public static final List<String> MEASURES = Trace.MEASURES;

    private final Audits audits;

    public Traces(Audits audits) {
        this.audits = audits;
    }

    /** Audits {@code modelRef} into {@code <out>/audit} for a trace; returns that folder. */
    public Path auditFor(String modelRef, Path out, ProgressListener progress, Audits.Events events)
            throws UnmaskException {
        Path dir = out.resolve(AUDIT_DIR);
        audits.audit(
                new Audits.Request(
                        modelRef, Backend.ONNX, SuiteLoader.DEFAULT_SUITE, false, Audits.Settings.DEFAULT, dir, false),
                progress,
                events);
        return dir;
    }

    /** Links corpus statistics with an audit and writes trace.json, trace.csv and trace.html to {@code out}. */
    public static TraceResult link(Path corpusStats, Path audit, int minSentences, Path out)
            throws InvalidInputException {
        return link(corpusStats, List.of(audit), minSentences, Trace.AUTO, CrossedBootstrap.DEFAULT_RESAMPLES, out);
    }

    /**
     * Links corpus statistics with one or more audits (one run per audit, measure and decoding setting) and writes
     * trace.json, trace.csv and trace.html to {@code out}.
     *
     * @param measure {@code auto} or the measure kind to read from every audit
     */
    public static TraceResult link(
            Path corpusStats, List<Path> audits, int minSentences, String measure, int resamples, Path out)
            throws InvalidInputException {
        TraceResult r = Trace.link(corpusStats, audits, minSentences, measure, resamples);
        try {
            TraceReport.write(r, out);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write to " + out + ": " + e.getMessage(), "choose a writable --out");
        }
        return r;
    }

    /** The trace's terminal summary. */
    public static String summary(TraceResult r) {
        return TraceReport.summary(r);
    }
}
