package org.unmask.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TraceResult;
import org.unmask.core.result.TraceResult.Coefficient;
import org.unmask.core.result.TraceResult.Occupation;
import org.unmask.core.result.TraceResult.Point;
import org.unmask.core.result.TraceResult.Run;

/**
 * Writes a {@link TraceResult} (computed by {@code corpus}'s {@code Trace}): {@code trace.json} through the result
 * codec, {@code trace.csv} and {@code trace.html} (an SVG scatter chart of model vs data % female, one colour per
 * run), and a terminal summary. A result read from a schema-1 file (no runs) is written as schema-1 writers did.
 */
public final class TraceReport {
    private TraceReport() {}

    /** Writes {@code trace.json}, {@code trace.csv} and {@code trace.html} into {@code out}, each atomically. */
    public static void write(TraceResult r, Path out) throws IOException {
        AtomicFiles.write(out.resolve("trace.json"), ResultCodec.render(r));
        AtomicFiles.write(out.resolve("trace.csv"), csv(r));
        AtomicFiles.write(out.resolve("trace.html"), html(r));
    }

    /** Colours of the runs in the chart, in run order (repeating after the last). */
    static final String[] COLOURS = {
        "#3366cc", "#dc3912", "#109618", "#ff9900", "#990099", "#0099c6", "#dd4477", "#66aa00", "#b82e2e", "#316395"
    };

    static String csv(TraceResult r) {
        if (r.runs().isEmpty()) {
            return legacyCsv(r);
        }
        StringBuilder sb = new StringBuilder("run,audit,measure,setting,occupation,data_pct_female,data_n,"
                + "model_pct_female,model_ci_low,model_ci_high,model_n,bls_pct_female,amplification\n");
        for (Run run : r.runs()) {
            for (Point p : run.points()) {
                sb.append(String.join(
                                ",",
                                csvField(run.label()),
                                csvField(run.audit()),
                                csvField(run.measure()),
                                csvField(run.setting()),
                                csvField(p.occupation()),
                                num(p.dataPctFemale(), 4),
                                Long.toString(p.dataN()),
                                num(p.modelPctFemale(), 4),
                                num(p.modelCiLow(), 4),
                                num(p.modelCiHigh(), 4),
                                Long.toString(p.modelN()),
                                num(p.blsPctFemale(), 2),
                                num(p.amplification(), 4)))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String num(double x, int decimals) {
        return Double.isNaN(x) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    /** RFC 4180 quoting where needed (a run label or path may hold a comma). */
    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String legacyCsv(TraceResult r) {
        StringBuilder sb = new StringBuilder(
                "occupation,data_pct_female,data_n,model_pct_female,model_lean,bls_pct_female,amplification\n");
        for (Occupation t : r.occupations()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%s,%.4f,%d,%.4f,%.6f,%s,%.4f%n",
                    t.occupation(),
                    t.dataPctFemale(),
                    t.dataN(),
                    t.modelPctFemale(),
                    t.modelLean(),
                    Double.isNaN(t.blsPctFemale()) ? "" : String.format(Locale.ROOT, "%.2f", t.blsPctFemale()),
                    t.amplification()));
        }
        return sb.toString();
    }

    /** A terminal summary. */
    public static String summary(TraceResult r) {
        return String.format(
                        Locale.ROOT,
                        "occupations compared: %d (%d excluded, min %d gendered sentences)%n"
                                + "data vs model  Pearson r %s  Spearman rho %s%n"
                                + "data vs BLS    Pearson r %s;  model vs BLS Pearson r %s%n"
                                + "amplification (model - data): mean %+.1f points; skew %+.1f points; slope model~data %.2f%n",
                        r.occupations().size(),
                        r.excluded().size(),
                        r.minSentences(),
                        fmt(r.pearsonDataModel()),
                        fmt(r.spearmanDataModel()),
                        fmt(r.pearsonDataBls()),
                        fmt(r.pearsonModelBls()),
                        r.meanAmplificationPoints(),
                        r.skewAmplificationPoints(),
                        r.slopeModelOnData())
                + runs(r);
    }

    /** One line per run: its amplification with the interval, r and slope. */
    private static String runs(TraceResult r) {
        if (r.runs().isEmpty()) {
            return "";
        }
        StringBuilder sb =
                new StringBuilder("amplification (model - data, points) per run, 95% CI over occupations:\n");
        for (Run run : r.runs()) {
            Coefficient a = run.amplification();
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-32s %-12s %+6.1f [%+.1f, %+.1f]  r %5.2f  slope %5.2f  n=%d%n",
                    run.label(),
                    run.measure(),
                    a.value(),
                    a.ciLow(),
                    a.ciHigh(),
                    run.pearsonDataModel().value(),
                    run.slopeModelOnData(),
                    a.n()));
        }
        return sb.toString();
    }

    private static String fmt(Coefficient e) {
        return String.format(Locale.ROOT, "%.2f [%.2f, %.2f] n=%d", e.value(), e.ciLow(), e.ciHigh(), e.n());
    }

    static String html(TraceResult r) {
        if (r.runs().isEmpty()) {
            return legacyHtml(r);
        }
        int size = 480;
        int pad = 40;
        double scale = (size - 2 * pad) / 100.0;
        StringBuilder svg = frame(size, pad, "model versus data percent female, one colour per run");
        StringBuilder legend = new StringBuilder("<table><tr><th></th><th>run</th><th>measure</th>"
                + "<th>amplification (points)</th><th>95% CI</th><th>Pearson r</th><th>slope</th><th>n</th></tr>");
        for (int k = 0; k < r.runs().size(); k++) {
            Run run = r.runs().get(k);
            String colour = COLOURS[k % COLOURS.length];
            svg.append("<g class='run' data-run='")
                    .append(Html.escape(run.label()))
                    .append("'>");
            for (Point p : run.points()) {
                double x = pad + p.dataPctFemale() * scale;
                double y = size - pad - p.modelPctFemale() * scale;
                svg.append(String.format(
                        Locale.ROOT,
                        "<circle cx='%.1f' cy='%.1f' r='4' fill='%s'"
                                + " fill-opacity='0.7'><title>%s, %s: data %.1f%%, model %.1f%% [%.1f, %.1f], BLS %.1f%%"
                                + "</title></circle>",
                        x,
                        y,
                        colour,
                        Html.escape(run.label()),
                        Html.escape(p.occupation()),
                        p.dataPctFemale(),
                        p.modelPctFemale(),
                        p.modelCiLow(),
                        p.modelCiHigh(),
                        p.blsPctFemale()));
            }
            svg.append("</g>");
            Coefficient a = run.amplification();
            legend.append(String.format(
                    Locale.ROOT,
                    "<tr><td style='color:%s'>&#9679;</td><td>%s</td><td>%s</td>"
                            + "<td>%+.1f</td><td>[%+.1f, %+.1f]</td><td>%.2f</td><td>%.2f</td><td>%d</td></tr>",
                    colour,
                    Html.escape(run.label()),
                    Html.escape(run.measure()),
                    a.value(),
                    a.ciLow(),
                    a.ciHigh(),
                    run.pearsonDataModel().value(),
                    run.slopeModelOnData(),
                    a.n()));
        }
        legend.append("</table>");
        svg.append(String.format(
                Locale.ROOT,
                "<text x='%d' y='%d' text-anchor='middle' font-size='12'>data %%" + " female (corpus)</text>",
                size / 2,
                size - 8));
        svg.append(String.format(
                Locale.ROOT,
                "<text x='12' y='%d' font-size='12' transform='rotate(-90 12 %d)'"
                        + " text-anchor='middle'>model %% female</text></svg>",
                size / 2,
                size / 2));
        String defs = r.runs().stream()
                .map(Run::modelPctFemale)
                .distinct()
                .map(Html::escape)
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
        return "<!doctype html><html lang='en'><meta charset='utf-8'><title>unmask trace</title>"
                + "<body style='font-family:sans-serif'><h1>Data vs model: % female per occupation</h1>"
                + "<pre>" + Html.escape(summary(r)) + "</pre>" + svg + legend + "<p>Dashed line: model = data."
                + " Hover a point for the run and occupation. Model % female: " + defs + ". "
                + Html.escape(r.runs().get(0).amplificationCi()) + ".</p></body></html>\n";
    }

    /** The chart's open svg element, its box and the dashed model = data diagonal. */
    static StringBuilder frame(int size, int pad, String label) {
        return new StringBuilder()
                .append(String.format(
                        Locale.ROOT,
                        "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' role='img' aria-label='%s'>",
                        size,
                        size,
                        label))
                .append(String.format(
                        Locale.ROOT,
                        "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>",
                        pad,
                        pad,
                        size - 2 * pad,
                        size - 2 * pad))
                .append(String.format(
                        Locale.ROOT,
                        "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#bbb' stroke-dasharray='4'/>",
                        pad,
                        size - pad,
                        size - pad,
                        pad));
    }

    private static String legacyHtml(TraceResult r) {
        int size = 420;
        int pad = 40;
        double scale = (size - 2 * pad) / 100.0;
        StringBuilder svg = frame(size, pad, "model versus data percent female");
        for (Occupation t : r.occupations()) {
            double x = pad + t.dataPctFemale() * scale;
            double y = size - pad - t.modelPctFemale() * scale;
            svg.append(String.format(
                    Locale.ROOT,
                    "<circle cx='%.1f' cy='%.1f' r='4' fill='#3366cc'"
                            + " fill-opacity='0.7'><title>%s: data %.1f%%, model %.1f%%, BLS %.1f%%</title></circle>",
                    x,
                    y,
                    Html.escape(t.occupation()),
                    t.dataPctFemale(),
                    t.modelPctFemale(),
                    t.blsPctFemale()));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x='%d' y='%d' text-anchor='middle' font-size='12'>data %%" + " female (corpus)</text>",
                size / 2,
                size - 8));
        svg.append(String.format(
                Locale.ROOT,
                "<text x='12' y='%d' font-size='12' transform='rotate(-90 12 %d)'"
                        + " text-anchor='middle'>model %% female</text></svg>",
                size / 2,
                size / 2));
        return "<!doctype html><html lang='en'><meta charset='utf-8'><title>unmask trace</title>"
                + "<body style='font-family:sans-serif'><h1>Data vs model: % female per occupation</h1>"
                + "<pre>" + Html.escape(summary(r)) + "</pre>" + svg + "<p>Dashed line: model = data. Hover a point"
                + " for the occupation.</p></body></html>\n";
    }
}
