package org.unmask.report;

import java.util.Locale;
import java.util.Map;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.result.TopKResult;

/**
 * The audit's self-contained {@code report.html} in the shared {@link Page} shell: inline SVG charts and a filter
 * box for the target tables. Every string from the suite, the model or the user is escaped.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String render(AuditResult r) {
        AuditResult.Provenance p = r.provenance();
        StringBuilder sb = Page.open(p.suite().title() + " — " + p.model().id());
        header(sb, r);
        assertions(sb, r);
        int index = 0;
        for (MeasureResult m : r.measures()) {
            if (m instanceof TopKResult t) {
                topK(sb, t);
            } else if (m instanceof LeanResult l) {
                lean(sb, l, index);
            } else if (m instanceof GenerationResult g) {
                GenerationHtml.render(sb, g, index);
            }
            index++;
        }
        provenance(sb, r);
        return Page.close(sb);
    }

    private static void header(StringBuilder sb, AuditResult r) {
        AuditResult.Provenance p = r.provenance();
        sb.append("<h1>").append(Html.escape(p.suite().title())).append("</h1>");
        sb.append("<p class=\"muted\">Model <b>")
                .append(Html.escape(p.model().id()))
                .append("</b> · suite <code>")
                .append(Html.escape(p.suite().id()))
                .append("</code> v")
                .append(p.suite().version())
                .append(" · seed ")
                .append(p.seed())
                .append(" · ")
                .append(Html.escape(p.finished()))
                .append("</p>");
        if (!p.suite().description().isEmpty()) {
            sb.append("<p>").append(Html.escape(p.suite().description())).append("</p>");
        }
        if (r.measures().stream().anyMatch(m -> m instanceof LeanResult)) {
            sb.append("<p class=\"small muted\">Leans are differences of natural-log probabilities (nats): +1 means "
                    + "the model finds the word e ≈ 2.7 times as likely for the first group. Intervals are 95 % seeded "
                    + "crossed-bootstrap BCa intervals; each table says what they resample (targets, templates, "
                    + "contexts, group terms). The noise floor is what mean |lean| and max |lean| would be for a model "
                    + "with no bias at this noise level. n counts targets. See docs/statistics.md.</p>");
        }
    }

    private static void assertions(StringBuilder sb, AuditResult r) {
        if (r.assertions().isEmpty()) {
            return;
        }
        sb.append("<h2 id=\"assertions\">Assertions: ")
                .append(r.passed() ? "<span class=\"pass\">all pass</span>" : "<span class=\"fail\">failed</span>")
                .append("</h2><table><thead><tr><th>assertion</th>"
                        + "<th>value</th><th>result</th></tr></thead><tbody>");
        for (AuditResult.AssertionOutcome a : r.assertions()) {
            sb.append("<tr><td><code>")
                    .append(Html.escape(a.expression()))
                    .append("</code></td><td class=\"num\">")
                    .append(Fmt.num(a.value()))
                    .append("</td><td class=\"")
                    .append(a.passed() ? "pass" : "fail")
                    .append("\">")
                    .append(a.passed() ? "pass" : "FAIL")
                    .append("</td></tr>");
        }
        sb.append("</tbody></table>");
    }

    private static void topK(StringBuilder sb, TopKResult t) {
        sb.append("<h2>")
                .append(Html.escape(t.name()))
                .append(": top-")
                .append(t.k())
                .append(" predictions side by side</h2><p class=\"small muted\">");
        for (int i = 0; i < t.marks().size(); i++) {
            sb.append("<span class=\"mark-")
                    .append(i == 0 ? "a" : "b")
                    .append("\">")
                    .append(Html.escape(t.marks().get(i)))
                    .append("</span> · ");
        }
        sb.append("unmarked = neutral · <span class=\"shared\">underlined</span> = in another column too</p>");
        for (TopKResult.Table table : t.tables()) {
            sb.append("<h3>").append(Html.escape(table.text())).append("</h3><div class=\"topk\">");
            for (TopKResult.Column c : table.columns()) {
                sb.append("<table><thead><tr><th colspan=\"2\">")
                        .append(Html.escape(c.term()))
                        .append("</th></tr></thead><tbody>");
                for (TopKResult.Answer a : c.answers()) {
                    int markIndex = t.marks().indexOf(a.mark());
                    String cls = markIndex < 0 ? "mark-neutral" : markIndex == 0 ? "mark-a" : "mark-b";
                    sb.append("<tr><td class=\"")
                            .append(cls)
                            .append(a.shared() ? " shared" : "")
                            .append("\">")
                            .append(Html.escape(a.token()))
                            .append("</td><td class=\"num\">")
                            .append(String.format(Locale.ROOT, "%.3f", a.probability()))
                            .append("</td></tr>");
                }
                sb.append("</tbody></table>");
            }
            sb.append("</div>");
        }
    }

    private static void lean(StringBuilder sb, LeanResult l, int index) {
        sb.append("<h2>")
                .append(Html.escape(l.name()))
                .append("</h2><p><code>")
                .append(Html.escape(l.formula()))
                .append("</code> — A = <b>")
                .append(Html.escape(l.groupA()))
                .append("</b>, B = <b>")
                .append(Html.escape(l.groupB()))
                .append("</b>, targets <b>")
                .append(Html.escape(l.targetList()))
                .append("</b>. Ideal ")
                .append(Fmt.num(l.ideal()))
                .append(".</p>");
        for (LeanResult.Warning w : l.warnings()) {
            sb.append("<p class=\"fail\">Warning: ")
                    .append(Html.escape(w.message()))
                    .append("</p><p class=\"small\">" + "Fix: ")
                    .append(Html.escape(w.fix()))
                    .append("</p>");
        }
        sb.append("<table><thead><tr><th>aggregate</th><th>value</th><th>95 % CI</th><th>n</th><th>ideal</th>"
                + "<th>noise floor</th><th>test</th><th>interval</th></tr></thead><tbody>");
        for (LeanResult.AggregateValue a : l.aggregates()) {
            sb.append("<tr><td title=\"")
                    .append(Html.escape(a.id()))
                    .append("\">")
                    .append(Html.escape(a.label()))
                    .append("</td><td class=\"num\">")
                    .append(Fmt.num(a.estimate().value()))
                    .append("</td><td class=\"num\">")
                    .append(
                            a.estimate().ci95().isDefined()
                                    ? Fmt.num(a.estimate().ci95().lower()) + " … "
                                            + Fmt.num(a.estimate().ci95().upper())
                                    : "")
                    .append("</td><td class=\"num\">")
                    .append(a.estimate().n())
                    .append("</td><td class=\"num\">")
                    .append(Fmt.num(a.ideal()))
                    .append("</td><td class=\"num\">")
                    .append(
                            Double.isNaN(a.noiseFloor())
                                    ? ""
                                    : Fmt.num(a.noiseFloor()) + " (" + Html.escape(Fmt.p(a.noiseFloorP())) + ")")
                    .append("</td><td title=\"")
                    .append(Html.escape(a.test()))
                    .append("\">")
                    .append(Html.escape(Fmt.p(a.p())))
                    .append(
                            a.permutations() > 0
                                    ? " (" + a.permutations() + (a.exact() ? " exact" : " random") + " permutations)"
                                    : "")
                    .append("</td><td class=\"small\">")
                    .append(Html.escape(Fmt.describe(a.estimate().ci95())))
                    .append("</td></tr>");
        }
        sb.append("</tbody></table>");
        slices(sb, l);
        sb.append("<h3>Lean per target</h3>").append(SvgCharts.leanBars(l));
        if (l.statName() != null) {
            sb.append("<h3>Model lean vs ")
                    .append(Html.escape(l.statName()))
                    .append("</h3>")
                    .append(SvgCharts.scatter(l));
        }
        String id = "targets-" + index;
        sb.append("<details><summary>All targets (")
                .append(l.targets().size())
                .append("; * = significant at " + "Benjamini–Hochberg false-discovery rate 5 %)</summary>")
                .append("<input class=\"filter\" type=\"search\" placeholder=\"filter targets\" data-table=\"")
                .append(id)
                .append("\" aria-label=\"filter targets\"><table id=\"")
                .append(id)
                .append("\"><thead><tr><th>target</th><th>lean [95 % CI]</th><th>p</th><th>q (BH)</th>"
                        + "<th>mean A</th><th>mean B</th>");
        boolean neutral = l.neutral() != null;
        if (l.statName() != null) {
            sb.append("<th>").append(Html.escape(l.statName())).append("</th>");
        }
        if (neutral) {
            sb.append("<th>share ").append(Html.escape(l.neutral())).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (LeanResult.TargetLean t : l.targets()) {
            sb.append("<tr><td>")
                    .append(Html.escape(t.target()))
                    .append(t.significant() ? " <b title=\"significant " + "at false-discovery rate 5 %\">*</b>" : "")
                    .append("</td><td class=\"num\">")
                    .append(Fmt.estimate(t.lean()))
                    .append("</td><td class=\"num\">")
                    .append(Fmt.num(t.p()))
                    .append("</td><td class=\"num\">")
                    .append(Fmt.num(t.q()))
                    .append("</td><td class=\"num\">")
                    .append(Fmt.num(t.meanA()))
                    .append("</td><td class=\"num\">")
                    .append(Fmt.num(t.meanB()))
                    .append("</td>");
            if (l.statName() != null) {
                sb.append("<td class=\"num\">").append(Fmt.num(t.stat())).append("</td>");
            }
            if (neutral) {
                sb.append("<td class=\"num\">")
                        .append(Fmt.pct(t.neutralShare()))
                        .append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table></details>");
    }

    private static void slices(StringBuilder sb, LeanResult l) {
        if (l.slices().isEmpty()) {
            return;
        }
        sb.append("<h3>By template and context</h3><table class=\"slices\"><thead><tr><th>slice</th>"
                + "<th>mean |lean| [95 % CI]</th><th>mean lean [95 % CI]</th><th>n</th></tr></thead><tbody>");
        for (LeanResult.Slice s : l.slices()) {
            sb.append("<tr><td>")
                    .append(Html.escape(s.by()))
                    .append(": <code>")
                    .append(Html.escape(s.key().isEmpty() ? "(none)" : s.key()))
                    .append("</code></td><td class=\"num\">")
                    .append(Fmt.estimate(s.meanAbsLean()))
                    .append("</td><td class=\"num\">")
                    .append(Fmt.estimate(s.meanLean()))
                    .append("</td><td class=\"num\">")
                    .append(s.meanAbsLean().n())
                    .append("</td></tr>");
        }
        sb.append("</tbody></table>");
    }

    private static void provenance(StringBuilder sb, AuditResult r) {
        AuditResult.Provenance p = r.provenance();
        AuditResult.Timings t = r.timings();
        AuditResult.ExecutorSummary e = r.executor();
        sb.append("<h2>Provenance and cost</h2><table><tbody>");
        Page.row(
                sb,
                "model",
                p.model().id() + " (" + p.model().architecture() + ", "
                        + p.model().kind() + ")");
        Page.row(sb, "weights sha256", p.model().weightsSha256());
        Page.row(sb, "tokenizer sha256", p.model().tokenizerSha256());
        Page.row(sb, "backend", p.model().backend());
        Page.row(
                sb,
                "suite",
                p.suite().id() + " v" + p.suite().version() + " from "
                        + p.suite().source());
        Page.row(sb, "suite sha256", p.suite().sha256());
        for (Map.Entry<String, String> f : p.suite().files().entrySet()) {
            Page.row(sb, f.getKey() + " sha256", f.getValue());
        }
        Page.row(
                sb,
                "seed / bootstrap / permutations",
                p.seed() + " / " + p.bootstrapResamples() + " / " + p.permutationSamples());
        Page.row(sb, "tool", p.tool() + " " + p.toolVersion() + " on Java " + p.java() + ", " + p.os());
        Page.row(sb, "time", p.started() + " → " + p.finished());
        Page.row(
                sb,
                "requests",
                e.requests() + " (" + e.uniqueRequests() + " unique, " + e.cacheHits() + " cached) → "
                        + e.forwardInputs() + " forward passes in " + e.batches() + " batches"
                        + TerminalSummary.sampledPart(e));
        Page.row(
                sb,
                "wall time",
                String.format(
                        Locale.ROOT,
                        "%.2f s total: plan %.2f, execute %.2f (model %.2f, %s), " + "statistics %.2f",
                        t.total(),
                        t.plan(),
                        t.execute(),
                        t.model(),
                        Fmt.pct(t.modelShare()),
                        t.score()));
        sb.append("</tbody></table>");
    }
}
