package org.unmask.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TraceResult;
import org.unmask.core.result.TraceResult.Coefficient;
import org.unmask.core.result.TraceResult.Occupation;

/**
 * Writes a {@link TraceResult} (computed by {@code corpus}'s {@code Trace}): {@code trace.json} through the result
 * codec, {@code trace.csv} and {@code trace.html} (an SVG scatter chart of model vs data % female), and a terminal
 * summary.
 */
public final class TraceReport {
    private TraceReport() {}

    /** Writes {@code trace.json}, {@code trace.csv} and {@code trace.html} into {@code out}, each atomically. */
    public static void write(TraceResult r, Path out) throws IOException {
        AtomicFiles.write(out.resolve("trace.json"), ResultCodec.render(r));
        AtomicFiles.write(out.resolve("trace.csv"), csv(r));
        AtomicFiles.write(out.resolve("trace.html"), html(r));
    }

    static String csv(TraceResult r) {
        StringBuilder sb = new StringBuilder(
                "occupation,data_pct_female,data_n,model_pct_female,model_lean,bls_pct_female,amplification\n");
        for (Occupation t : r.occupations()) {
            sb.append(String.format(Locale.ROOT, "%s,%.4f,%d,%.4f,%.6f,%s,%.4f%n", t.occupation(), t.dataPctFemale(),
                    t.dataN(), t.modelPctFemale(), t.modelLean(), Double.isNaN(t.blsPctFemale()) ? ""
                            : String.format(Locale.ROOT, "%.2f", t.blsPctFemale()), t.amplification()));
        }
        return sb.toString();
    }

    /** A terminal summary. */
    public static String summary(TraceResult r) {
        return String.format(Locale.ROOT, "occupations compared: %d (%d excluded, min %d gendered sentences)%n"
                + "data vs model  Pearson r %s  Spearman rho %s%n"
                + "data vs BLS    Pearson r %s;  model vs BLS Pearson r %s%n"
                + "amplification (model - data): mean %+.1f points; skew %+.1f points; slope model~data %.2f%n",
                r.occupations().size(), r.excluded().size(), r.minSentences(), fmt(r.pearsonDataModel()),
                fmt(r.spearmanDataModel()), fmt(r.pearsonDataBls()), fmt(r.pearsonModelBls()),
                r.meanAmplificationPoints(), r.skewAmplificationPoints(), r.slopeModelOnData());
    }

    private static String fmt(Coefficient e) {
        return String.format(Locale.ROOT, "%.2f [%.2f, %.2f] n=%d", e.value(), e.ciLow(), e.ciHigh(), e.n());
    }

    static String html(TraceResult r) {
        int size = 420;
        int pad = 40;
        double scale = (size - 2 * pad) / 100.0;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d'"
                + " role='img' aria-label='model versus data percent female'>", size, size));
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none'"
                + " stroke='#999'/>", pad, pad, size - 2 * pad, size - 2 * pad));
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#bbb'"
                + " stroke-dasharray='4'/>", pad, size - pad, size - pad, pad));
        for (Occupation t : r.occupations()) {
            double x = pad + t.dataPctFemale() * scale;
            double y = size - pad - t.modelPctFemale() * scale;
            svg.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='4' fill='#3366cc'"
                    + " fill-opacity='0.7'><title>%s: data %.1f%%, model %.1f%%, BLS %.1f%%</title></circle>", x, y,
                    Html.escape(t.occupation()), t.dataPctFemale(), t.modelPctFemale(), t.blsPctFemale()));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle' font-size='12'>data %%"
                + " female (corpus)</text>", size / 2, size - 8));
        svg.append(String.format(Locale.ROOT, "<text x='12' y='%d' font-size='12' transform='rotate(-90 12 %d)'"
                + " text-anchor='middle'>model %% female</text></svg>", size / 2, size / 2));
        return "<!doctype html><html lang='en'><meta charset='utf-8'><title>unmask trace</title>"
                + "<body style='font-family:sans-serif'><h1>Data vs model: % female per occupation</h1>"
                + "<pre>" + Html.escape(summary(r)) + "</pre>" + svg + "<p>Dashed line: model = data. Hover a point"
                + " for the occupation.</p></body></html>\n";
    }
}
