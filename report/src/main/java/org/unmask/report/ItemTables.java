package org.unmask.report;

import java.util.List;
import java.util.Locale;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.GenerationItem;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.result.ResultCodec;

/**
 * Item-level scores of every lean measure, and every continuation of a generation measure, as CSV (RFC 4180) and
 * JSON Lines, for re-analysis elsewhere. Generation rows fill the shared columns they have and add
 * {@link #GENERATION_COLUMNS}, which appear only when the audit has a generation measure.
 */
public final class ItemTables {
    static final String HEADER =
            "measure,template,paraphrase,context,side,group,term,target,text,log_prob," + "prior_log_prob,score";
    static final String GENERATION_COLUMNS = ",setting,sample,seed,label,continuation";

    private ItemTables() {}

    public static String csv(AuditResult result) {
        boolean generation = result.measures().stream().anyMatch(m -> m instanceof GenerationResult);
        String pad = generation ? ",,,,," : "";
        StringBuilder sb = new StringBuilder(HEADER)
                .append(generation ? GENERATION_COLUMNS : "")
                .append("\r\n");
        for (MeasureResult m : result.measures()) {
            if (m instanceof GenerationResult g) {
                for (GenerationItem i : g.items()) {
                    generationRow(sb, i);
                }
            } else if (m instanceof LeanResult l) {
                for (LeanItem i : l.items()) {
                    sb.append(cell(i.measure()))
                            .append(',')
                            .append(cell(i.template()))
                            .append(',')
                            .append(i.paraphrase())
                            .append(',')
                            .append(cell(i.context()))
                            .append(',')
                            .append(cell(i.side()))
                            .append(',')
                            .append(cell(i.group()))
                            .append(',')
                            .append(cell(i.term()))
                            .append(',')
                            .append(cell(i.target()))
                            .append(',')
                            .append(cell(i.text()))
                            .append(',')
                            .append(num(i.logProb()))
                            .append(',')
                            .append(num(i.priorLogProb()))
                            .append(',')
                            .append(num(i.score()))
                            .append(pad)
                            .append("\r\n");
                }
            }
        }
        return sb.toString();
    }

    public static String jsonl(AuditResult result) {
        StringBuilder sb = new StringBuilder();
        for (MeasureResult m : result.measures()) {
            List<?> items =
                    m instanceof LeanResult l ? l.items() : m instanceof GenerationResult g ? g.items() : List.of();
            for (Object i : items) {
                sb.append(ResultCodec.line(i)).append('\n');
            }
        }
        return sb.toString();
    }

    /** A continuation in the shared columns (the prompt as text, no scores) plus the generation columns. */
    private static void generationRow(StringBuilder sb, GenerationItem i) {
        sb.append(cell(i.measure()))
                .append(',')
                .append(cell(i.template()))
                .append(',')
                .append(i.paraphrase())
                .append(',')
                .append(cell(i.context()))
                .append(",,,,")
                .append(cell(i.target()))
                .append(',')
                .append(cell(i.prompt()))
                .append(",,,,")
                .append(cell(i.setting()))
                .append(',')
                .append(i.sample())
                .append(',')
                .append(i.seed())
                .append(',')
                .append(cell(i.label()))
                .append(',')
                .append(cell(i.continuation()))
                .append("\r\n");
    }

    /** Quotes a CSV cell when needed; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it. */
    static String cell(String s) {
        if (s == null) {
            return "";
        }
        String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }
}
