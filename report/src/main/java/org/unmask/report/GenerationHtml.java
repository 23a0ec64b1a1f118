package org.unmask.report;

import java.util.List;
import org.unmask.core.result.Decoding;
import org.unmask.core.result.GenerationItem;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.LeanResult.AggregateValue;

/**
 * The report section of a sampled-generation study: one row per decoding setting (label counts, female share,
 * amplification, correlations, effect against the first setting), the per-target shares and a few continuations.
 * Every string from the suite or the model is escaped.
 */
final class GenerationHtml {
    /** Continuations shown as examples; all of them are in items.csv / items.jsonl. */
    private static final int EXAMPLES = 30;

    private static final List<String> AGGREGATES =
            List.of("female-share", "amplification", "pearson", "spearman", "hyperparameter-effect");

    private GenerationHtml() {}

    static void render(StringBuilder sb, GenerationResult g, int index) {
        sb.append("<h2>")
                .append(Html.escape(g.name()))
                .append("</h2><p><code>")
                .append(Html.escape(g.formula()))
                .append("</code> — female words <b>")
                .append(Html.escape(g.femaleList()))
                .append("</b>, male words <b>")
                .append(Html.escape(g.maleList()))
                .append("</b>, targets <b>")
                .append(Html.escape(g.targetList()))
                .append("</b>; ")
                .append(g.samples())
                .append(" samples of up to ")
                .append(g.maxNewTokens())
                .append(" tokens per prompt and setting (greedy: one). Ideal female share 0.5; amplification = model "
                        + "% female − ")
                .append(Html.escape(g.statName() == null ? "statistic" : g.statName()))
                .append(" in percentage points, ideal 0; the effect is the share minus the first setting's.</p>");
        settings(sb, g);
        targets(sb, g, index);
        examples(sb, g);
    }

    private static void settings(StringBuilder sb, GenerationResult g) {
        sb.append("<table><thead><tr><th>setting</th><th>decoding</th><th>female</th><th>male</th><th>both</th>"
                + "<th>none</th>");
        for (String id : AGGREGATES) {
            sb.append("<th>").append(id).append(" [95 % CI]</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (GenerationResult.Setting s : g.settings()) {
            GenerationResult.Counts c = s.counts();
            sb.append("<tr><td>")
                    .append(Html.escape(s.decoding().name()))
                    .append("</td><td>")
                    .append(Html.escape(describe(s.decoding())))
                    .append("</td>");
            for (int n : new int[] {c.female(), c.male(), c.both(), c.none()}) {
                sb.append("<td class=\"num\">").append(n).append("</td>");
            }
            for (String id : AGGREGATES) {
                AggregateValue a = s.aggregate(id);
                sb.append("<td class=\"num\"")
                        .append(a == null ? "" : " title=\"" + Html.escape(a.label()) + "\"")
                        .append('>')
                        .append(a == null ? "" : Fmt.estimate(a.estimate()))
                        .append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table>");
    }

    private static void targets(StringBuilder sb, GenerationResult g, int index) {
        String id = "targets-" + index;
        int n = g.settings().isEmpty() ? 0 : g.settings().get(0).targets().size();
        sb.append("<details><summary>Female share per target (")
                .append(n)
                .append(")</summary>")
                .append("<input class=\"filter\" type=\"search\" placeholder=\"filter targets\" data-table=\"")
                .append(id)
                .append("\" aria-label=\"filter targets\"><table id=\"")
                .append(id)
                .append("\"><thead><tr><th>target</th>");
        if (g.statName() != null) {
            sb.append("<th>").append(Html.escape(g.statName())).append("</th>");
        }
        for (GenerationResult.Setting s : g.settings()) {
            sb.append("<th>").append(Html.escape(s.decoding().name())).append(" F/(F+M) (F:M)</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (int t = 0; t < n; t++) {
            GenerationResult.TargetShare first = g.settings().get(0).targets().get(t);
            sb.append("<tr><td>").append(Html.escape(first.target())).append("</td>");
            if (g.statName() != null) {
                sb.append("<td class=\"num\">").append(Fmt.num(first.stat())).append("</td>");
            }
            for (GenerationResult.Setting s : g.settings()) {
                GenerationResult.TargetShare ts = s.targets().get(t);
                sb.append("<td class=\"num\">")
                        .append(Fmt.num(ts.femaleShare()))
                        .append(" (")
                        .append(ts.counts().female())
                        .append(':')
                        .append(ts.counts().male())
                        .append(")</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table></details>");
    }

    private static void examples(StringBuilder sb, GenerationResult g) {
        sb.append("<details><summary>Example continuations (first ")
                .append(Math.min(EXAMPLES, g.items().size()))
                .append(" of ")
                .append(g.items().size())
                .append("; all in items.csv)</summary><table><thead><tr>"
                        + "<th>setting</th><th>prompt</th><th>continuation</th><th>label</th></tr></thead><tbody>");
        for (GenerationItem i :
                g.items().subList(0, Math.min(EXAMPLES, g.items().size()))) {
            sb.append("<tr><td>")
                    .append(Html.escape(i.setting()))
                    .append("</td><td>")
                    .append(Html.escape(i.prompt()))
                    .append("</td><td>")
                    .append(Html.escape(i.continuation()))
                    .append("</td><td>")
                    .append(Html.escape(i.label()))
                    .append("</td></tr>");
        }
        sb.append("</tbody></table></details>");
    }

    /** "T = 0.7, top-k 40" or "greedy". */
    static String describe(Decoding d) {
        if (d.greedy()) {
            return "greedy";
        }
        String s = "T = " + Fmt.num(d.temperature()).replaceAll("\\.?0+$", "");
        return s
                + (d.topK() > 0 ? ", top-k " + d.topK() : "")
                + (d.topP() < 1 ? ", top-p " + Fmt.num(d.topP()).replaceAll("0+$", "") : "");
    }
}
