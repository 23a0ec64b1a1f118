package org.unmask.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.stats.Interval;
import org.unmask.mitigation.compare.AuditRun;
import org.unmask.mitigation.compare.RunComparison;

/**
 * What a mitigation did, from two audit folders: the comparison of {@code unmask compare} and of every experiment
 * arm against its baseline, and its plain-text rendering.
 */
public final class Comparisons {
    /** The seed of the comparison's bootstrap unless the user gives one. */
    public static final long DEFAULT_SEED = 42;

    private Comparisons() {}

    /** Compares the audit in {@code before} with the one in {@code after} (folders or result.json files). */
    public static RunComparison.Comparison compare(Path before, Path after, long seed) throws UnmaskException {
        return RunComparison.compare(AuditRun.read(before), AuditRun.read(after), seed);
    }

    /** {@link #compare} rendered as text. */
    public static String text(Path before, Path after, long seed) throws UnmaskException {
        StringWriter sw = new StringWriter();
        PrintWriter out = new PrintWriter(sw);
        print(compare(before, after, seed), before, after, out);
        return sw.toString();
    }

    /** Writes a comparison as text: per measure, per generation setting, the top-k tables, notes and the cost. */
    public static void print(RunComparison.Comparison c, Path before, Path after, PrintWriter out) {
        out.printf("before: %s (%s)%nafter:  %s (%s)%n%n", c.before(), before, c.after(), after);
        for (RunComparison.MeasureChange m : c.measures()) {
            out.printf(
                    Locale.ROOT,
                    "%s: mean |lean - %.2f| %.4f -> %.4f, change %+.4f (95%% CI %s, n = %d" + " targets): %s%n",
                    m.measure(),
                    m.ideal(),
                    m.meanDistanceBefore(),
                    m.meanDistanceAfter(),
                    m.delta(),
                    ci(m.ci95(), "%+.4f"),
                    m.targets(),
                    verdict(m.verdict()));
            for (Map.Entry<String, double[]> ag : m.aggregates().entrySet()) {
                out.printf(Locale.ROOT, "    %-28s %.4f -> %.4f%n", ag.getKey(), ag.getValue()[0], ag.getValue()[1]);
            }
        }
        for (RunComparison.GenerationChange g : c.generation()) {
            generation(out, g);
        }
        if (!c.topK().isEmpty()) {
            out.println();
            for (RunComparison.TopKPair t : c.topK()) {
                out.println(t.title() + ": " + t.text());
                int rows = Math.max(t.before().size(), t.after().size());
                out.printf("    %-24s %s%n", "before", "after");
                for (int i = 0; i < rows; i++) {
                    out.printf("    %-24s %s%n", cell(t.before(), i), cell(t.after(), i));
                }
            }
        }
        if (!c.notes().isEmpty()) {
            out.println();
            c.notes().forEach(n -> out.println("note: " + n));
        }
        out.println();
        if (c.cost() == null) {
            out.println("cost: no pseudo-perplexity.json in both folders (run `unmask pppl --model M --out <folder>`)");
        } else {
            var k = c.cost();
            out.printf(
                    Locale.ROOT,
                    "cost: pseudo-perplexity %.3f -> %.3f (x%.3f, 95%% CI %s, n = %d" + " sentences)%n",
                    k.before(),
                    k.after(),
                    k.ratio(),
                    ci(k.ci95(), "x%.3f"),
                    k.sentences());
        }
        out.flush();
    }

    /** One generation measure under one setting: shares, then amplification when the targets have a statistic. */
    private static void generation(PrintWriter out, RunComparison.GenerationChange g) {
        out.printf(
                Locale.ROOT,
                "%s / %s: female share %.4f -> %.4f, change %+.4f (95%% CI %s, n = %d" + " targets; ideal 0.5)%n",
                g.measure(),
                g.setting(),
                g.shareBefore(),
                g.shareAfter(),
                g.shareDelta(),
                ci(g.shareCi95(), "%+.4f"),
                g.targets());
        if (!Double.isNaN(g.amplificationBefore()) || !Double.isNaN(g.amplificationAfter())) {
            out.printf(
                    Locale.ROOT,
                    "    %-28s %.2f -> %.2f pp, change %+.2f (95%% CI %s)%n",
                    "amplification",
                    g.amplificationBefore(),
                    g.amplificationAfter(),
                    g.amplificationDelta(),
                    ci(g.amplificationCi95(), "%+.2f"));
        }
    }

    /**
     * An interval as {@code lo..hi over targets × templates; note}: what it resampled and its caveat beside it, or
     * {@code undefined (why)}.
     */
    static String ci(Interval ci, String format) {
        if (!ci.isDefined()) {
            return "undefined" + (ci.note().isEmpty() ? "" : " (" + ci.note() + ")");
        }
        String range = String.format(Locale.ROOT, format + ".." + format, ci.lower(), ci.upper());
        return range
                + (ci.resamples().isEmpty() ? "" : " over " + ci.resamples())
                + (ci.note().isEmpty() ? "" : "; " + ci.note());
    }

    private static String verdict(RunComparison.Verdict v) {
        return switch (v) {
            case TOWARD_IDEAL -> "moved toward the ideal";
            case AWAY_FROM_IDEAL -> "moved away from the ideal";
            case NO_DETECTABLE_CHANGE -> "no detectable change";
        };
    }

    private static String cell(List<String> l, int i) {
        return i < l.size() ? l.get(i) : "";
    }
}
