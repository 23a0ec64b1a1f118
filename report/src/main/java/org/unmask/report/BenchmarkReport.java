package org.unmask.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.Provenance;
import org.unmask.benchmarks.ResultWriter;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.io.AtomicFiles;

/**
 * A published-benchmark result as a self-contained {@code report.html} in the audit's page shell: per
 * metric a table (value, 95 % interval, n, ideal) and an SVG bar chart of the groups with interval
 * whiskers and the ideal marked, then skipped items, notes and provenance. Generic over every
 * benchmark: it reads only {@link BenchmarkResult}.
 */
public final class BenchmarkReport {
    private static final int BAR_W = 420;
    private static final int ROW_H = 20;
    private static final int LABEL_W = 190;

    private BenchmarkReport() {}

    /**
     * Writes the result's JSON (named by benchmark, model and options, so several runs can share a folder)
     * and an HTML report of the same name beside it, both atomically; returns the two files.
     */
    public static List<Path> write(BenchmarkResult r, Path dir) throws InvalidInputException {
        Path json = ResultWriter.write(r, dir);
        String name = json.getFileName().toString();
        Path html = dir.resolve(name.substring(0, name.length() - ".json".length()) + ".html");
        try {
            AtomicFiles.write(html, render(r));
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + html + ": " + e.getMessage(), "choose a writable --out");
        }
        return List.of(json, html);
    }

    public static String render(BenchmarkResult r) {
        Provenance p = r.provenance();
        StringBuilder sb = Page.open(r.name() + " — " + p.modelId());
        sb.append("<h1>")
                .append(Html.escape(r.name()))
                .append("</h1><p class=\"muted\">Model <b>")
                .append(Html.escape(p.modelId()))
                .append("</b> · benchmark <code>")
                .append(Html.escape(r.benchmark()))
                .append("</code> v")
                .append(Html.escape(p.benchmarkVersion()))
                .append(" · seed ")
                .append(p.seed())
                .append("</p>");
        if (p.nonCommercial()) {
            sb.append("<p class=\"fail\">Data licence ")
                    .append(Html.escape(p.dataLicense()))
                    .append(": NON-COMMERCIAL use only.</p>");
        }
        for (Map.Entry<String, List<MetricValue>> e : byMetric(r.metrics()).entrySet()) {
            metric(sb, e.getKey(), e.getValue());
        }
        skipped(sb, r);
        sb.append("<h2>Notes</h2><ul>");
        for (String n : r.notes()) {
            sb.append("<li>").append(Html.escape(n)).append("</li>");
        }
        sb.append("</ul>");
        provenance(sb, r);
        return Page.close(sb);
    }

    private static Map<String, List<MetricValue>> byMetric(List<MetricValue> all) {
        Map<String, List<MetricValue>> out = new LinkedHashMap<>();
        for (MetricValue m : all) {
            out.computeIfAbsent(m.metric(), k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    private static void metric(StringBuilder sb, String id, List<MetricValue> values) {
        sb.append("<h2><code>").append(Html.escape(id)).append("</code></h2>");
        sb.append("<table><thead><tr><th>group</th><th>value</th><th>95 % CI</th><th>n</th><th>ideal</th></tr></thead>"
                + "<tbody>");
        for (MetricValue m : values) {
            sb.append("<tr><td>")
                    .append(Html.escape(m.group()))
                    .append("</td><td class=\"num\">")
                    .append(num(m.value()))
                    .append("</td><td class=\"num\">")
                    .append(Double.isNaN(m.ciLow()) ? "–" : num(m.ciLow()) + " … " + num(m.ciHigh()))
                    .append("</td><td class=\"num\">")
                    .append(m.n())
                    .append("</td><td class=\"num\">")
                    .append(Double.isNaN(m.ideal()) ? "–" : num(m.ideal()))
                    .append("</td></tr>");
        }
        sb.append("</tbody></table>");
        sb.append(bars(values));
    }

    /** Horizontal bars from the smaller of 0 and the data, with CI whiskers and a dashed ideal line. */
    static String bars(List<MetricValue> values) {
        double lo = 0;
        double hi = 0;
        for (MetricValue m : values) {
            for (double v : new double[] {m.value(), m.ciLow(), m.ciHigh(), m.ideal()}) {
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi - lo == 0) {
            return "";
        }
        double span = hi - lo;
        int height = ROW_H * values.size() + 24;
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg class=\"chart\" width=\"%d\" height=\"%d\" role=\"img\">",
                LABEL_W + BAR_W + 60,
                height));
        double zero = x(0, lo, span);
        for (int i = 0; i < values.size(); i++) {
            MetricValue m = values.get(i);
            int y = 4 + i * ROW_H;
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                    LABEL_W - 6,
                    y + 13,
                    Html.escape(m.group())));
            if (!Double.isNaN(m.value())) {
                double xv = x(m.value(), lo, span);
                s.append(String.format(
                        Locale.ROOT,
                        "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"></rect>",
                        m.value() >= (Double.isNaN(m.ideal()) ? 0 : m.ideal()) ? "a" : "b",
                        Math.min(zero, xv),
                        y + 3,
                        Math.abs(xv - zero),
                        ROW_H - 8));
            }
            if (!Double.isNaN(m.ciLow()) && !Double.isNaN(m.ciHigh())) {
                s.append(String.format(
                        Locale.ROOT,
                        "<line class=\"ci\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"></line>",
                        x(m.ciLow(), lo, span),
                        x(m.ciHigh(), lo, span),
                        y + ROW_H / 2,
                        y + ROW_H / 2));
            }
            if (!Double.isNaN(m.ideal())) {
                double xi = x(m.ideal(), lo, span);
                s.append(String.format(
                        Locale.ROOT,
                        "<line class=\"zero ideal\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"></line>",
                        xi,
                        xi,
                        y,
                        y + ROW_H));
            }
        }
        s.append(String.format(
                Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%d\">%s</text>", LABEL_W, height - 4, num(lo)));
        s.append(String.format(
                Locale.ROOT,
                "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                LABEL_W + BAR_W,
                height - 4,
                num(hi)));
        return s.append("</svg><p class=\"small muted\">bars: value; whiskers: 95 % interval; dashed: the ideal"
                        + " value</p>")
                .toString();
    }

    private static double x(double v, double lo, double span) {
        return LABEL_W + (v - lo) / span * BAR_W;
    }

    private static void skipped(StringBuilder sb, BenchmarkResult r) {
        sb.append("<h2>Skipped items</h2>");
        if (r.skipped() == null || r.skipped().total() == 0) {
            sb.append("<p>None: every selected item was scored.</p>");
            return;
        }
        sb.append("<table><thead><tr><th>reason</th><th>items</th><th>examples</th></tr></thead><tbody>");
        r.skipped().byReason().forEach((reason, n) -> {
            List<String> ex = r.skipped().examples().getOrDefault(reason, List.of());
            sb.append("<tr><td>")
                    .append(Html.escape(reason))
                    .append("</td><td class=\"num\">")
                    .append(n)
                    .append("</td><td>")
                    .append(Html.escape(String.join("; ", ex)))
                    .append("</td></tr>");
        });
        sb.append("</tbody></table>");
    }

    private static void provenance(StringBuilder sb, BenchmarkResult r) {
        Provenance p = r.provenance();
        sb.append("<h2>Provenance</h2><table><tbody>");
        Page.row(sb, "model", p.modelId() + " (" + p.modelArchitecture() + ")");
        Page.row(sb, "weights sha256", p.weightsSha256());
        Page.row(sb, "tokenizer sha256", p.tokenizerSha256());
        Page.row(sb, "backend", p.backend());
        Page.row(sb, "data", p.dataOrigin() + " — licence " + p.dataLicense());
        p.dataSha256().forEach((f, h) -> Page.row(sb, "sha256 " + f, h));
        Page.row(sb, "seed", Long.toString(p.seed()));
        Page.row(sb, "versions", "unmask " + p.unmaskVersion() + ", Java " + p.javaVersion());
        r.timing().entries().forEach((k, v) -> Page.row(sb, "timing " + k, String.valueOf(v)));
        sb.append("</tbody></table>");
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.2f" : "%.3f", v);
    }
}
