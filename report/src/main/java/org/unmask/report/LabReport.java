package org.unmask.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.result.LabResult;
import org.unmask.core.result.LabResult.Effect;
import org.unmask.core.result.LabResult.Excluded;
import org.unmask.core.result.LabResult.Row;
import org.unmask.core.result.LabResult.SeedCost;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.stats.Estimate;

/**
 * Writes a pretraining lab's {@link LabResult}: {@code lab.json} through the result codec and {@code lab.html}, one
 * page that tells the causal chain in order, each part a section with a fixed id ({@link #SECTIONS}): the setup, the
 * data's % female per occupation (both corpora), the models' (both arms), amplification (model − data) with the data
 * vs model scatter chart, the intervention's effect with the per-occupation change chart, what it cost, and the
 * caveats with the occupations that were not counted.
 */
public final class LabReport {
    /** The JSON file name. */
    public static final String JSON = "lab.json";
    /** The HTML file name. */
    public static final String HTML = "lab.html";
    /** The section ids of the page, in order. */
    public static final List<String> SECTIONS =
            List.of("setup", "data", "model", "amplification", "effect", "cost", "caveats");

    private static final String ORIGINAL = TraceReport.COLOURS[0];
    private static final String CDA = TraceReport.COLOURS[1];

    private LabReport() {}

    /** Writes {@code lab.json} and {@code lab.html} into {@code out}, each atomically. */
    public static void write(LabResult r, Path out) throws IOException {
        AtomicFiles.write(out.resolve(JSON), ResultCodec.render(r));
        AtomicFiles.write(out.resolve(HTML), html(r));
    }

    /** A terminal summary: each measure's effect and the cost, with their intervals. */
    public static String summary(LabResult r) {
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "pretraining lab %s: %d seeds per arm, %d occupations counted (%d not)%n",
                r.name(),
                r.setup().seeds().size(),
                r.occupations().size(),
                r.excluded().size()));
        for (Effect e : r.effects()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-22s original %-26s cda %-26s effect %s%n",
                    e.measure(),
                    Fmt.estimate(e.original()),
                    Fmt.estimate(e.cda()),
                    Fmt.estimate(e.effect())
                            + (Double.isNaN(e.noiseFloor()) ? "" : " (noise floor " + Fmt.num(e.noiseFloor()) + ")")));
        }
        LabResult.Cost c = r.cost();
        sb.append(String.format(
                Locale.ROOT,
                "  %-22s original %-26s cda %-26s ratio %s%n",
                c.measure(),
                Fmt.estimate(c.original()),
                Fmt.estimate(c.cda()),
                Fmt.estimate(c.ratio())));
        return sb.toString();
    }

    /** The report page. */
    public static String html(LabResult r) {
        LabResult.Setup s = r.setup();
        StringBuilder sb = Page.open("unmask pretraining lab: " + r.name());
        sb.append("<h1>Pretraining lab: does bias in the data cause bias in the model?</h1>")
                .append("<p class='muted'>")
                .append(Html.escape(r.name()))
                .append(": the same model pretrained from scratch on a corpus (<b>original</b>) and on its")
                .append(" counterfactually augmented version (<b>cda</b>), with the same seeds and steps.</p>");

        section(sb, "setup", "Setup");
        sb.append("<table>");
        Page.row(sb, "corpus", s.corpus() + " (sha256 " + s.corpusSha256().substring(0, 12) + "…)");
        Page.row(
                sb,
                "training documents",
                "original " + s.trainDocuments().get(0) + ", cda "
                        + s.trainDocuments().get(1) + "; held out " + s.heldoutDocuments() + " (" + s.heldoutFraction()
                        + ")");
        Page.row(sb, "augmentation", s.augmentation());
        Page.row(
                sb,
                "pretraining",
                s.pretrainConfig() + ", " + s.arch() + (s.steps() > 0 ? ", " + s.steps() + " steps" : ""));
        Page.row(sb, "seeds per arm", s.seeds().size() + ": " + s.seeds());
        Page.row(sb, "audit suite / measure", s.suite() + " / " + s.measure());
        Page.row(sb, "model % female", s.modelPctFemale());
        Page.row(sb, "data % female", s.dataPctFemale());
        Page.row(
                sb,
                "counted occupations",
                r.occupations().size() + " (at least " + s.minSentences() + " gendered sentences in both corpora); "
                        + r.excluded().size() + " not counted");
        Page.row(sb, "intervals", "95 % BCa, " + s.resamples() + " resamples, bootstrap seed " + s.bootstrapSeed());
        sb.append("</table>");

        section(sb, "data", "1. Data: % female per occupation (both corpora)");
        sb.append("<table><thead><tr><th>occupation</th><th>original %F</th><th>n</th><th>cda %F</th><th>n</th>")
                .append("</tr></thead><tbody>");
        for (Row o : r.occupations()) {
            sb.append("<tr><td>")
                    .append(Html.escape(o.occupation()))
                    .append("</td>")
                    .append(num(o.dataOriginal()))
                    .append(cell(Long.toString(o.nOriginal())))
                    .append(num(o.dataCda()))
                    .append(cell(Long.toString(o.nCda())))
                    .append("</tr>");
        }
        sb.append("</tbody></table>");

        section(sb, "model", "2. Model: % female per occupation (both arms, every seed)");
        sb.append("<table><thead><tr><th>occupation</th><th>original: mean</th><th>per seed</th>")
                .append("<th>cda: mean</th><th>per seed</th></tr></thead><tbody>");
        for (Row o : r.occupations()) {
            sb.append("<tr><td>")
                    .append(Html.escape(o.occupation()))
                    .append("</td>")
                    .append(num(mean(o.modelOriginal())))
                    .append(cell(list(o.modelOriginal())))
                    .append(num(mean(o.modelCda())))
                    .append(cell(list(o.modelCda())))
                    .append("</tr>");
        }
        sb.append("</tbody></table>");

        section(sb, "amplification", "3. Amplification: model − data");
        sb.append(scatter(r));
        sb.append("<p class='small muted'>Each point is an occupation: its corpus % female (x) against the model's,")
                .append(" mean over seeds (y); <span style='color:")
                .append(ORIGINAL)
                .append("'>&#9679; original</span>, <span style='color:")
                .append(CDA)
                .append("'>&#9679; cda</span>. Dashed line: model = data (no amplification).</p>");
        effects(sb, r.effects(), false);

        section(sb, "effect", "4. The intervention's effect on the model (cda − original)");
        effects(sb, r.effects(), true);
        sb.append(changeChart(r.occupations()));

        LabResult.Cost c = r.cost();
        section(sb, "cost", "5. What CDA cost: " + c.measure() + " on the original corpus's held-out text");
        boolean causal = LabResult.Cost.HELD_OUT_PERPLEXITY.equals(c.measure());
        sb.append("<p>")
                .append(
                        causal
                                ? "exp of the mean next-token loss on held-out blocks"
                                : c.sentences() + " held-out sentences (" + c.tokens() + " tokens)")
                .append(" from ")
                .append(Html.escape(c.text()))
                .append("; lower is better; ratio 1 = no cost.</p><table><tr><th></th><th>")
                .append(Html.escape(c.measure()))
                .append("</th><th>interval</th></tr>");
        costRow(sb, "original", c.original());
        costRow(sb, "cda", c.cda());
        costRow(sb, "ratio cda / original", c.ratio());
        sb.append("</table><table><tr><th>seed</th><th>original</th><th>cda</th></tr>");
        for (SeedCost sc : c.perSeed()) {
            sb.append("<tr><td>")
                    .append(sc.seed())
                    .append("</td>")
                    .append(num(sc.original()))
                    .append(num(sc.cda()))
                    .append("</tr>");
        }
        sb.append("</table>");

        section(sb, "caveats", "6. Caveats");
        sb.append("<ul>");
        for (String cv : r.caveats()) {
            sb.append("<li>").append(Html.escape(cv)).append("</li>");
        }
        sb.append("</ul><h3>Occupations not counted (")
                .append(r.excluded().size())
                .append(")</h3><table><thead><tr><th>occupation</th><th>n original</th><th>n cda</th>")
                .append("<th>reason</th></tr></thead><tbody>");
        for (Excluded e : r.excluded()) {
            sb.append("<tr><td>")
                    .append(Html.escape(e.occupation()))
                    .append("</td>")
                    .append(cell(Long.toString(e.nOriginal())))
                    .append(cell(Long.toString(e.nCda())))
                    .append("<td>")
                    .append(Html.escape(e.reason()))
                    .append("</td></tr>");
        }
        sb.append("</tbody></table>");
        return Page.close(sb);
    }

    private static void section(StringBuilder sb, String id, String title) {
        sb.append("<h2 id='").append(id).append("'>").append(Html.escape(title)).append("</h2>");
    }

    /** The effects table: per arm (amplification section) or the effect with its intervals (effect section). */
    private static void effects(StringBuilder sb, List<Effect> effects, boolean effect) {
        sb.append("<table><thead><tr><th>measure</th><th>ideal</th>");
        sb.append(
                effect
                        ? "<th>cda − original</th><th>over seeds only</th><th>noise floor</th>"
                        : "<th>original</th><th>cda</th>");
        sb.append("</tr></thead><tbody>");
        String legend = "";
        for (Effect e : effects) {
            if (!effect
                    && !e.original().ci95().isDefined()
                    && Double.isNaN(e.original().value())) {
                continue;
            }
            sb.append("<tr><td title='")
                    .append(Html.escape(e.definition()))
                    .append("'>")
                    .append(Html.escape(e.measure()))
                    .append("<div class='small muted'>")
                    .append(Html.escape(e.definition()))
                    .append("</div></td><td>")
                    .append(Html.escape(e.ideal()))
                    .append("</td>");
            if (effect) {
                sb.append(cell(Fmt.estimate(e.effect())))
                        .append(cell(Fmt.estimate(e.effectSeedsOnly())))
                        .append(cell(
                                Double.isNaN(e.noiseFloor())
                                        ? ""
                                        : Fmt.num(e.noiseFloor()) + " (" + Fmt.p(e.noiseFloorP()) + ")"));
                if (legend.isEmpty() && e.effect().ci95().isDefined()) {
                    legend = Fmt.describe(e.effect().ci95()) + "; n = "
                            + e.effect().n() + " seed × occupation items";
                }
            } else {
                sb.append(cell(Fmt.estimate(e.original()))).append(cell(Fmt.estimate(e.cda())));
                if (legend.isEmpty() && e.original().ci95().isDefined()) {
                    legend = Fmt.describe(e.original().ci95()) + "; n = "
                            + e.original().n() + " seed × occupation items";
                }
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table><p class='small muted'>Intervals: ")
                .append(Html.escape(legend.isEmpty() ? "none (too few items)" : legend))
                .append(
                        effect
                                ? ". “Over seeds only” holds the occupations fixed: training noise alone. The noise floor is"
                                        + " what the mean absolute change is on training noise alone (recentred bootstrap"
                                        + " over seeds)."
                                : ".")
                .append("</p>");
    }

    /** Data vs model % female, both arms (mean over seeds), on the trace's chart frame. */
    private static String scatter(LabResult r) {
        int size = 420;
        int pad = 40;
        double scale = (size - 2 * pad) / 100.0;
        StringBuilder svg = TraceReport.frame(size, pad, "model versus data percent female, both arms");
        for (Row o : r.occupations()) {
            point(svg, pad, size, scale, o.dataOriginal(), mean(o.modelOriginal()), ORIGINAL, "original", o);
            point(svg, pad, size, scale, o.dataCda(), mean(o.modelCda()), CDA, "cda", o);
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x='%d' y='%d' text-anchor='middle' font-size='12'>data %% female (corpus)</text>",
                size / 2,
                size - 8));
        svg.append(String.format(
                Locale.ROOT,
                "<text x='12' y='%d' font-size='12' transform='rotate(-90 12 %d)' text-anchor='middle'>model %%"
                        + " female</text></svg>",
                size / 2,
                size / 2));
        return svg.toString();
    }

    private static void point(
            StringBuilder svg, int pad, int size, double scale, double x, double y, String colour, String arm, Row o) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return;
        }
        svg.append(String.format(
                Locale.ROOT,
                "<circle cx='%.1f' cy='%.1f' r='4' fill='%s' fill-opacity='0.7'><title>%s, %s: data %.1f%%,"
                        + " model %.1f%%</title></circle>",
                pad + x * scale,
                size - pad - y * scale,
                colour,
                arm,
                Html.escape(o.occupation()),
                x,
                y));
    }

    /** Per-occupation change of the model's % female (cda − original) with its interval over seeds. */
    private static String changeChart(List<Row> rows) {
        if (rows.isEmpty()) {
            return "<p>No occupation was counted: nothing to chart.</p>";
        }
        double max = 1;
        for (Row o : rows) {
            Estimate c = o.change();
            max = Math.max(max, Math.abs(c.value()));
            if (c.ci95().isDefined()) {
                max = Math.max(
                        max,
                        Math.max(Math.abs(c.ci95().lower()), Math.abs(c.ci95().upper())));
            }
        }
        int label = 150;
        int width = 360;
        int rowH = 18;
        int h = rows.size() * rowH + 30;
        double half = width / 2.0;
        double scale = half / max;
        StringBuilder svg = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg class='chart' xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' role='img'"
                        + " aria-label='per-occupation change of the model percent female, cda minus original'>",
                label + width + 20,
                h));
        double zero = label + half;
        svg.append(String.format(
                Locale.ROOT,
                "<line class='zero' x1='%.1f' y1='0' x2='%.1f' y2='%d'/>",
                zero,
                zero,
                rows.size() * rowH));
        for (int i = 0; i < rows.size(); i++) {
            Row o = rows.get(i);
            Estimate c = o.change();
            double y = i * rowH + rowH / 2.0;
            double x = zero + c.value() * scale;
            svg.append(String.format(
                            Locale.ROOT,
                            "<text x='%d' y='%.1f' text-anchor='end'>%s</text>",
                            label - 6,
                            y + 4,
                            Html.escape(o.occupation())))
                    .append(String.format(
                            Locale.ROOT,
                            "<rect class='%s' x='%.1f' y='%.1f' width='%.1f' height='%d'><title>%s: %s points</title>"
                                    + "</rect>",
                            c.value() >= 0 ? "a" : "b",
                            Math.min(x, zero),
                            y - 6,
                            Math.abs(x - zero),
                            12,
                            Html.escape(o.occupation()),
                            Html.escape(Fmt.estimate(c))));
            if (c.ci95().isDefined()) {
                svg.append(String.format(
                        Locale.ROOT,
                        "<line class='ci' x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f'/>",
                        zero + c.ci95().lower() * scale,
                        y,
                        zero + c.ci95().upper() * scale,
                        y));
            }
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text class='axis' x='%.1f' y='%d' text-anchor='middle'>change of model %% female, points (±%s)"
                        + "</text></svg>",
                zero,
                h - 6,
                Fmt.num(max)));
        return svg + "<p class='small muted'>Bars: mean over seeds of cda − original model % female per occupation"
                + " (pink: more female, blue: more male); whiskers: Student-t 95 % interval over the seeds.</p>";
    }

    private static void costRow(StringBuilder sb, String label, Estimate e) {
        sb.append("<tr><td>")
                .append(Html.escape(label))
                .append("</td>")
                .append(cell(Fmt.estimate(e)))
                .append(cell(Fmt.describe(e.ci95())))
                .append("</tr>");
    }

    private static String num(double v) {
        return "<td class='num'>" + (Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v)) + "</td>";
    }

    private static String cell(String s) {
        return "<td class='num'>" + Html.escape(s) + "</td>";
    }

    private static String list(List<Double> xs) {
        StringBuilder sb = new StringBuilder();
        for (double x : xs) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", x));
        }
        return sb.toString();
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
