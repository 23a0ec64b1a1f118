package org.unmask.report;

import java.util.Locale;
import org.unmask.core.stats.Estimate;

/** Number formatting shared by the renderers (locale-independent). */
final class Fmt {
    private Fmt() {}

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }

    static String estimate(Estimate e) {
        String ci = e.ci95().isDefined()
                ? " [" + num(e.ci95().lower()) + ", " + num(e.ci95().upper()) + "]"
                : "";
        return num(e.value()) + ci;
    }

    /**
     * How an interval was made, for a legend: "95 % BCa over targets × templates × terms; 1 template: ..."; empty
     * when the producer did not say.
     */
    static String describe(org.unmask.core.stats.Interval ci) {
        StringBuilder sb = new StringBuilder();
        if (!ci.method().isEmpty()) {
            sb.append("95 % ").append(ci.method().equals("bca") ? "BCa" : ci.method());
        }
        if (!ci.resamples().isEmpty()) {
            sb.append(sb.length() == 0 ? "" : " ").append("resampling ").append(ci.resamples());
        }
        if (!ci.note().isEmpty()) {
            sb.append(sb.length() == 0 ? "" : "; ").append(ci.note());
        }
        return sb.toString();
    }

    static String p(double p) {
        if (Double.isNaN(p)) {
            return "";
        }
        return p < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", p);
    }

    static String pct(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }
}
