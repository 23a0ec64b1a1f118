package org.unmask.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import org.unmask.probes.AuditResult;
import org.unmask.probes.measure.LeanItem;
import org.unmask.probes.measure.LeanResult;
import org.unmask.probes.measure.MeasureResult;

/** Item-level scores of every lean measure as CSV (RFC 4180) and JSON Lines, for re-analysis elsewhere. */
public final class ItemTables {
    static final String HEADER = "measure,template,paraphrase,context,side,group,term,target,text,log_prob,"
            + "prior_log_prob,score";
    private static final ObjectMapper JSON = JsonReport.mapper();

    private ItemTables() {}

    public static String csv(AuditResult result) {
        StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
        for (MeasureResult m : result.measures()) {
            if (m instanceof LeanResult l) {
                for (LeanItem i : l.items()) {
                    sb.append(cell(i.measure())).append(',').append(cell(i.template())).append(',')
                            .append(i.paraphrase()).append(',').append(cell(i.context())).append(',')
                            .append(cell(i.side())).append(',').append(cell(i.group())).append(',')
                            .append(cell(i.term())).append(',').append(cell(i.target())).append(',')
                            .append(cell(i.text())).append(',').append(num(i.logProb())).append(',')
                            .append(num(i.priorLogProb())).append(',').append(num(i.score())).append("\r\n");
                }
            }
        }
        return sb.toString();
    }

    public static String jsonl(AuditResult result) {
        StringBuilder sb = new StringBuilder();
        try {
            for (MeasureResult m : result.measures()) {
                if (m instanceof LeanResult l) {
                    for (LeanItem i : l.items()) {
                        sb.append(JSON.writeValueAsString(i)).append('\n');
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
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
