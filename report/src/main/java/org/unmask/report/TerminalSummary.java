package org.unmask.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.result.TopKResult;

/** The few lines a person reads in a terminal after an audit. */
public final class TerminalSummary {
    private TerminalSummary() {}

    public static String render(AuditResult r) {
        StringBuilder sb = new StringBuilder();
        AuditResult.Provenance p = r.provenance();
        sb.append(String.format(
                Locale.ROOT,
                "%s v%d on %s (weights %s), seed %d%n",
                p.suite().id(),
                p.suite().version(),
                p.model().id(),
                shortHash(p.model().weightsSha256()),
                p.seed()));
        for (MeasureResult m : r.measures()) {
            if (m instanceof TopKResult t && !t.tables().isEmpty()) {
                topK(sb, t);
            } else if (m instanceof LeanResult l) {
                lean(sb, l);
            } else if (m instanceof GenerationResult g) {
                generation(sb, g);
            }
        }
        if (!r.assertions().isEmpty()) {
            sb.append("\nassertions:\n");
            for (AuditResult.AssertionOutcome a : r.assertions()) {
                sb.append(String.format(
                        Locale.ROOT,
                        "  %s  %-34s (value %s)%n",
                        a.passed() ? "PASS" : "FAIL",
                        a.expression(),
                        Fmt.num(a.value())));
            }
        }
        AuditResult.Timings t = r.timings();
        AuditResult.ExecutorSummary e = r.executor();
        sb.append(String.format(
                Locale.ROOT,
                "%n%d requests (%d unique, %d cached) -> %d forward passes in %d batches%s; "
                        + "model %.1f s of %.1f s (%s)%n",
                e.requests(),
                e.uniqueRequests(),
                e.cacheHits(),
                e.forwardInputs(),
                e.batches(),
                sampledPart(e),
                t.model(),
                t.total(),
                Fmt.pct(t.modelShare())));
        return sb.toString();
    }

    private static void topK(StringBuilder sb, TopKResult t) {
        TopKResult.Table table = t.tables().get(0);
        sb.append("\n").append(t.name()).append(": ").append(table.text()).append('\n');
        for (TopKResult.Column c : table.columns()) {
            String answers = c.answers().stream()
                    .limit(6)
                    .map(a -> a.token() + (a.mark().equals("neutral") ? "" : "*"))
                    .collect(Collectors.joining(", "));
            sb.append(String.format(Locale.ROOT, "  %-12s %s%n", c.term(), answers));
        }
    }

    private static void lean(StringBuilder sb, LeanResult l) {
        sb.append(String.format(
                Locale.ROOT, "%n%s (%s; + = %s, - = %s)%n", l.name(), l.formula(), l.groupA(), l.groupB()));
        for (LeanResult.Warning w : l.warnings()) {
            sb.append("  WARNING: ")
                    .append(w.message())
                    .append("\n           fix: ")
                    .append(w.fix())
                    .append('\n');
        }
        for (LeanResult.AggregateValue a : l.aggregates()) {
            String floor = Double.isNaN(a.noiseFloor())
                    ? ""
                    : String.format(
                            Locale.ROOT, "  noise floor %s, %s", Fmt.num(a.noiseFloor()), Fmt.p(a.noiseFloorP()));
            sb.append(String.format(
                            Locale.ROOT,
                            "  %-16s %-26s n=%-3d ideal %s %s%s%n",
                            a.id(),
                            Fmt.estimate(a.estimate()),
                            a.estimate().n(),
                            Fmt.num(a.ideal()),
                            Fmt.p(a.p()),
                            floor)
                    .replace("  \n", "\n"));
        }
        intervalLegend(sb, l);
        for (LeanResult.Slice s : l.slices()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-8s %-28s mean |lean| %s%n",
                    s.by(),
                    s.key().isEmpty() ? "(none)" : abbreviate(s.key(), 28),
                    Fmt.estimate(s.meanAbsLean())));
        }
        long tested = l.targets().stream().filter(t -> !Double.isNaN(t.q())).count();
        if (tested > 0) {
            long marked = l.targets().stream()
                    .filter(LeanResult.TargetLean::significant)
                    .count();
            sb.append(String.format(
                    Locale.ROOT,
                    "  %d of %d targets lean significantly (Benjamini-Hochberg FDR 5 %%, " + "marked *)%n",
                    marked,
                    tested));
        }
        List<LeanResult.TargetLean> sorted = l.targets().stream()
                .filter(x -> !Double.isNaN(x.lean().value()))
                .sorted(Comparator.comparingDouble(
                        (LeanResult.TargetLean x) -> x.lean().value()))
                .toList();
        if (!sorted.isEmpty()) {
            sb.append("  most toward ")
                    .append(l.groupA())
                    .append(": ")
                    .append(names(sorted.subList(Math.max(0, sorted.size() - 5), sorted.size()), true))
                    .append('\n');
            sb.append("  most toward ")
                    .append(l.groupB())
                    .append(": ")
                    .append(names(sorted.subList(0, Math.min(5, sorted.size())), false))
                    .append('\n');
        }
    }

    /** One line per distinct (method, what varies, caveat) of the measure's aggregate intervals. */
    private static void intervalLegend(StringBuilder sb, LeanResult l) {
        java.util.Map<String, List<String>> byKind = new java.util.LinkedHashMap<>();
        for (LeanResult.AggregateValue a : l.aggregates()) {
            org.unmask.core.stats.Interval ci = a.estimate().ci95();
            String key = Fmt.describe(ci);
            if (!key.isEmpty()) {
                byKind.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(a.id());
            }
        }
        for (java.util.Map.Entry<String, List<String>> e : byKind.entrySet()) {
            sb.append("  intervals ")
                    .append(byKind.size() == 1 ? "" : "(" + String.join(", ", e.getValue()) + ") ")
                    .append(e.getKey())
                    .append('\n');
        }
    }

    private static void generation(StringBuilder sb, GenerationResult g) {
        sb.append(String.format(
                Locale.ROOT,
                "%n%s (generation: %d samples x %d tokens per prompt; female share " + "F/(F+M), words %s vs %s)%n",
                g.name(),
                g.samples(),
                g.maxNewTokens(),
                g.femaleList(),
                g.maleList()));
        for (GenerationResult.Setting s : g.settings()) {
            GenerationResult.Counts c = s.counts();
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-16s F %d  M %d  both %d  none %d  share %s",
                    s.decoding().name(),
                    c.female(),
                    c.male(),
                    c.both(),
                    c.none(),
                    Fmt.estimate(s.aggregate("female-share").estimate())));
            for (String id : List.of("amplification", "spearman", "hyperparameter-effect")) {
                if (s.aggregate(id) != null) {
                    sb.append("  ")
                            .append(id)
                            .append(' ')
                            .append(Fmt.estimate(s.aggregate(id).estimate()));
                }
            }
            sb.append('\n');
        }
    }

    private static String names(List<LeanResult.TargetLean> ts, boolean reverse) {
        List<LeanResult.TargetLean> list = new java.util.ArrayList<>(ts);
        if (reverse) {
            java.util.Collections.reverse(list);
        }
        return list.stream()
                .map(x -> x.target() + (x.significant() ? "*" : "") + " "
                        + Fmt.num(x.lean().value()))
                .collect(Collectors.joining(", "));
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    static String shortHash(String h) {
        return h == null ? "?" : h.length() > 12 ? h.substring(0, 12) : h;
    }

    /** ", N continuations sampled" when the audit sampled any. */
    static String sampledPart(AuditResult.ExecutorSummary e) {
        return e.sampled() > 0 ? ", " + e.sampled() + " continuations sampled" : "";
    }
}
