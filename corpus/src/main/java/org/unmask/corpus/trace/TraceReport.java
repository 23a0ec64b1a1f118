package org.unmask.corpus.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.stats.Estimate;

/** Writes a {@link Trace.Result}: {@code trace.json}, {@code trace.csv}, {@code trace.html} (SVG scatter chart). */
public final class TraceReport {
    public static final String SCHEMA = "unmask.trace/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TraceReport() {}

    public static void write(Trace.Result r, Path out) throws IOException {
        AtomicFiles.write(out.resolve("trace.json"), JSON.writeValueAsBytes(json(r)));
        AtomicFiles.write(out.resolve("trace.csv"), csv(r).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("trace.html"), html(r).getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode json(Trace.Result r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        n.put("corpusStats", r.corpusStats());
        n.put("audit", r.audit());
        n.put("minSentences", r.minSentences());
        n.put("modelPctFemale", "100 * sigmoid(pronoun-lean)");
        n.put("dataPctFemale", "sentence level, female-only / (male-only + female-only)");
        est(n, "pearsonDataModel", r.pearsonDataModel());
        est(n, "spearmanDataModel", r.spearmanDataModel());
        est(n, "pearsonDataBls", r.pearsonDataBls());
        est(n, "pearsonModelBls", r.pearsonModelBls());
        num(n, "meanAmplificationPoints", r.meanAmplification());
        num(n, "skewAmplificationPoints", r.skewAmplification());
        num(n, "slopeModelOnData", r.slope());
        for (TraceRow t : r.rows()) {
            ObjectNode o = n.withArray("occupations").addObject();
            o.put("occupation", t.occupation());
            num(o, "dataPctFemale", t.dataPctFemale());
            o.put("dataN", t.dataN());
            num(o, "modelPctFemale", t.modelPctFemale());
            num(o, "modelLean", t.modelLean());
            num(o, "blsPctFemale", t.blsPctFemale());
            num(o, "amplificationPoints", t.amplification());
        }
        r.excluded().forEach(x -> n.withArray("excluded").add(x));
        return n;
    }

    private static void est(ObjectNode n, String k, Estimate e) {
        ObjectNode o = n.putObject(k);
        num(o, "value", e.value());
        num(o, "ciLow", e.ci95().lower());
        num(o, "ciHigh", e.ci95().upper());
        o.put("n", e.n());
    }

    private static void num(ObjectNode o, String k, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    static String csv(Trace.Result r) {
        StringBuilder sb = new StringBuilder(
                "occupation,data_pct_female,data_n,model_pct_female,model_lean,bls_pct_female,amplification\n");
        for (TraceRow t : r.rows()) {
            sb.append(String.format(Locale.ROOT, "%s,%.4f,%d,%.4f,%.6f,%s,%.4f%n", t.occupation(), t.dataPctFemale(),
                    t.dataN(), t.modelPctFemale(), t.modelLean(), Double.isNaN(t.blsPctFemale()) ? ""
                            : String.format(Locale.ROOT, "%.2f", t.blsPctFemale()), t.amplification()));
        }
        return sb.toString();
    }

    /** A terminal summary. */
    public static String summary(Trace.Result r) {
        return String.format(Locale.ROOT, "occupations compared: %d (%d excluded, min %d gendered sentences)%n"
                + "data vs model  Pearson r %s  Spearman rho %s%n"
                + "data vs BLS    Pearson r %s;  model vs BLS Pearson r %s%n"
                + "amplification (model - data): mean %+.1f points; skew %+.1f points; slope model~data %.2f%n",
                r.rows().size(), r.excluded().size(), r.minSentences(), fmt(r.pearsonDataModel()),
                fmt(r.spearmanDataModel()), fmt(r.pearsonDataBls()), fmt(r.pearsonModelBls()), r.meanAmplification(),
                r.skewAmplification(), r.slope());
    }

    private static String fmt(Estimate e) {
        return String.format(Locale.ROOT, "%.2f [%.2f, %.2f] n=%d", e.value(), e.ci95().lower(), e.ci95().upper(),
                e.n());
    }

    static String html(Trace.Result r) {
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
        for (TraceRow t : r.rows()) {
            double x = pad + t.dataPctFemale() * scale;
            double y = size - pad - t.modelPctFemale() * scale;
            svg.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='4' fill='#3366cc'"
                    + " fill-opacity='0.7'><title>%s: data %.1f%%, model %.1f%%, BLS %.1f%%</title></circle>", x, y,
                    escape(t.occupation()), t.dataPctFemale(), t.modelPctFemale(), t.blsPctFemale()));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle' font-size='12'>data %%"
                + " female (corpus)</text>", size / 2, size - 8));
        svg.append(String.format(Locale.ROOT, "<text x='12' y='%d' font-size='12' transform='rotate(-90 12 %d)'"
                + " text-anchor='middle'>model %% female</text></svg>", size / 2, size / 2));
        return "<!doctype html><html lang='en'><meta charset='utf-8'><title>unmask trace</title>"
                + "<body style='font-family:sans-serif'><h1>Data vs model: % female per occupation</h1>"
                + "<pre>" + escape(summary(r)) + "</pre>" + svg + "<p>Dashed line: model = data. Hover a point"
                + " for the occupation.</p></body></html>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
