package org.unmask.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.TargetLean;

/** Inline SVG charts (no scripts, no fonts, no network): per-target lean bars and lean-vs-statistic scatter. */
final class SvgCharts {
    private static final int LABEL_W = 150;
    private static final int PLOT_W = 520;
    private static final int ROW_H = 14;

    private SvgCharts() {}

    /** Horizontal bars of each target's lean with its 95 % CI, sorted from most B to most A. */
    static String leanBars(LeanResult r) {
        List<TargetLean> rows = r.targets().stream()
                .filter(t -> !Double.isNaN(t.lean().value()))
                .sorted(Comparator.comparingDouble((TargetLean t) -> t.lean().value()))
                .toList();
        double max = 1e-9;
        for (TargetLean t : rows) {
            max = Math.max(max, Math.abs(t.lean().value()));
            if (t.lean().ci95().isDefined()) {
                max = Math.max(
                        max,
                        Math.max(
                                Math.abs(t.lean().ci95().lower()),
                                Math.abs(t.lean().ci95().upper())));
            }
        }
        double scale = (PLOT_W / 2.0 - 10) / max;
        double zero = LABEL_W + PLOT_W / 2.0;
        int height = rows.size() * ROW_H + 40;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "<svg class=\"chart bars\" role=\"img\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">",
                LABEL_W + PLOT_W + 10,
                height,
                LABEL_W + PLOT_W + 10,
                height));
        sb.append("<title>").append(Html.escape(r.name())).append(": lean per target</title>");
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"12\" class=\"axis\" text-anchor=\"end\">&#8592; %s"
                        + "</text><text x=\"%.1f\" y=\"12\" class=\"axis\">%s &#8594;</text>",
                zero - 6,
                Html.escape(r.groupB()),
                zero + 6,
                Html.escape(r.groupA())));
        for (int i = 0; i < rows.size(); i++) {
            TargetLean t = rows.get(i);
            double y = 22 + i * ROW_H;
            double v = t.lean().value();
            double x0 = Math.min(zero, zero + v * scale);
            String cls = v >= 0 ? "a" : "b";
            sb.append(String.format(
                    Locale.ROOT,
                    "<g><title>%s: %s</title>",
                    Html.escape(t.target()),
                    Html.escape(Fmt.estimate(t.lean()))));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" class=\"label\" text-anchor=\"end\">%s" + "</text>",
                    LABEL_W - 6,
                    y + 10,
                    Html.escape(t.target())));
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" " + "height=\"%d\"/>",
                    cls,
                    x0,
                    y + 2,
                    Math.max(0.5, Math.abs(v) * scale),
                    ROW_H - 4));
            if (t.lean().ci95().isDefined()) {
                sb.append(String.format(
                        Locale.ROOT,
                        "<line class=\"ci\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" " + "y2=\"%.1f\"/>",
                        zero + t.lean().ci95().lower() * scale,
                        zero + t.lean().ci95().upper() * scale,
                        y + ROW_H / 2.0,
                        y + ROW_H / 2.0));
            }
            sb.append("</g>");
        }
        sb.append(String.format(
                Locale.ROOT,
                "<line class=\"zero\" x1=\"%.1f\" x2=\"%.1f\" y1=\"18\" y2=\"%d\"/>",
                zero,
                zero,
                height - 14));
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">"
                        + "%s</text><text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>",
                zero - max * scale,
                height - 2,
                Fmt.num(-max),
                zero + max * scale,
                height - 2,
                Fmt.num(max)));
        return sb.append("</svg>").toString();
    }

    private static String tick(double v, double range) {
        return range >= 10 ? String.format(Locale.ROOT, "%.0f", v) : Fmt.num(v);
    }

    /** Scatter of lean (y) against the targets' statistic (x), e.g. BLS % female. */
    static String scatter(LeanResult r) {
        List<TargetLean> pts = r.targets().stream()
                .filter(t -> !Double.isNaN(t.lean().value()) && !Double.isNaN(t.stat()))
                .toList();
        if (pts.isEmpty()) {
            return "";
        }
        int w = 560;
        int h = 360;
        int left = 50;
        int bottom = 40;
        double xmin =
                Math.min(0, pts.stream().mapToDouble(TargetLean::stat).min().getAsDouble());
        double xmax = Math.max(
                1e-9 + xmin, pts.stream().mapToDouble(TargetLean::stat).max().getAsDouble());
        if (xmin >= 0 && xmax <= 100) {
            xmax = 100;
        }
        double ymax = 1e-9;
        for (TargetLean t : pts) {
            ymax = Math.max(ymax, Math.abs(t.lean().value()));
        }
        double yscale = (h - bottom - 20) / (2 * ymax);
        double y0 = 10 + (h - bottom - 20) / 2.0;
        double xscale = (w - left - 20) / (xmax - xmin);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "<svg class=\"chart scatter\" role=\"img\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">",
                w,
                h,
                w,
                h));
        sb.append("<title>")
                .append(Html.escape(r.name()))
                .append(": lean vs ")
                .append(Html.escape(r.statName()))
                .append("</title>");
        sb.append(String.format(
                Locale.ROOT,
                "<line class=\"zero\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                left,
                w - 10,
                y0,
                y0));
        sb.append(String.format(
                Locale.ROOT,
                "<line class=\"axisline\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>",
                left,
                w - 10,
                h - bottom + 4,
                h - bottom + 4));
        for (int k = 0; k <= 4; k++) {
            double xv = xmin + k * (xmax - xmin) / 4;
            sb.append(String.format(
                    Locale.ROOT,
                    "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s" + "</text>",
                    left + (xv - xmin) * xscale,
                    h - bottom + 18,
                    tick(xv, xmax - xmin)));
        }
        sb.append(String.format(
                Locale.ROOT,
                "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s" + "</text>",
                (left + w) / 2,
                h - 4,
                Html.escape(r.statName())));
        sb.append(String.format(
                Locale.ROOT,
                "<text class=\"axis\" x=\"4\" y=\"%.1f\">+%s</text>"
                        + "<text class=\"axis\" x=\"4\" y=\"%.1f\">-%s</text><text class=\"axis\" x=\"4\" y=\"%.1f\">"
                        + "lean 0</text>",
                18.0,
                Fmt.num(ymax),
                y0 + ymax * yscale,
                Fmt.num(ymax),
                y0 - 4));
        for (TargetLean t : pts) {
            double cx = left + (t.stat() - xmin) * xscale;
            double cy = y0 - t.lean().value() * yscale;
            sb.append(String.format(
                    Locale.ROOT,
                    "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%s: "
                            + "%s = %s, lean %s</title></circle>",
                    t.lean().value() >= 0 ? "a" : "b",
                    cx,
                    cy,
                    Html.escape(t.target()),
                    Html.escape(r.statName()),
                    Fmt.num(t.stat()),
                    Fmt.num(t.lean().value())));
        }
        return sb.append("</svg>").toString();
    }
}
