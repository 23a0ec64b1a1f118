package org.unmask.corpus.trace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.TargetLean;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.stats.Interval;
import org.unmask.core.stats.Proportions;

/**
 * The model's side of a trace: % female per occupation from one measure kind of an audit.
 *
 * <ul>
 *   <li>{@code generation}: per decoding setting, {@code 100 · F / (F + M)} over the occupation's sampled
 *       continuations (those naming both or neither left out, as Thaler et al. do), Wilson 95 % interval over the
 *       F + M gendered continuations;
 *   <li>{@code zero-shot}: {@code 100 · A / (A + B)} over the occupation's questions, where a question counts for
 *       the group of its single most likely answer (group A is the female list, as in the built-in suites; neutral
 *       choices are left out), Wilson interval over the A + B questions;
 *   <li>{@code pronoun-lean}, {@code cooccurrence-log-ratio}: {@code 100 · σ(lean)} with the lean's interval
 *       mapped through σ (exactly {@code P(she) / (P(she) + P(he))} for one pronoun per side).
 * </ul>
 */
final class ModelShares {
    /** The usable measure kinds, in the order {@link Trace#AUTO} prefers them. */
    static final List<String> KINDS = List.of("generation", "zero-shot", "pronoun-lean", "cooccurrence-log-ratio");

    private ModelShares() {}

    /**
     * One occupation's model share.
     *
     * @param pct % female, NaN when undefined
     * @param ciLow lower end of its 95 % interval, NaN when none
     * @param ciHigh upper end, NaN when none
     * @param n what it rests on (gendered continuations, answered questions, lean items)
     * @param lean the lean of a lean measure, NaN for counted shares
     * @param stat the audit's statistic for the occupation (e.g. BLS % female), NaN when none
     */
    record Share(double pct, double ciLow, double ciHigh, long n, double lean, double stat) {}

    /**
     * The shares of one measure under one setting.
     *
     * @param kind the measure kind
     * @param measureName its name in the suite
     * @param setting decoding setting name, {@code ""} when the measure has none
     * @param suffix what the run label adds to the audit's name
     * @param definition how % female is defined
     * @param shares occupation → share
     */
    record Series(
            String kind,
            String measureName,
            String setting,
            String suffix,
            String definition,
            Map<String, Share> shares) {}

    /** The series of the chosen (or first usable) kind in the audit. */
    static List<Series> of(AuditResult audit, Path file, String choice) throws InvalidInputException {
        List<String> kinds = Trace.AUTO.equals(choice) ? KINDS : List.of(choice);
        for (String kind : kinds) {
            List<MeasureResult> ms = audit.measures().stream()
                    .filter(m -> kind.equals(m.measure()))
                    .toList();
            if (ms.isEmpty()) {
                continue;
            }
            List<Series> out = new ArrayList<>();
            for (MeasureResult m : ms) {
                String prefix = ms.size() > 1 ? m.name() : "";
                if (m instanceof GenerationResult g) {
                    for (GenerationResult.Setting s : g.settings()) {
                        out.add(generation(g, s, join(prefix, s.decoding().name())));
                    }
                } else if (m instanceof LeanResult l) {
                    out.add(kind.equals("zero-shot") ? zeroShot(l, prefix) : lean(l, prefix));
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        List<String> has =
                audit.measures().stream().map(MeasureResult::measure).distinct().toList();
        throw new InvalidInputException(
                file + " has no " + (Trace.AUTO.equals(choice) ? String.join(", ", KINDS) : choice)
                        + " measure to trace (it has: "
                        + (has.isEmpty() ? "none" : String.join(", ", has)) + ")",
                Trace.AUTO.equals(choice)
                        ? "audit the model with a suite that has one, e.g. the built-in"
                                + " generation or pronoun-lean suite"
                        : "pick a measure it has with --measure, or --measure auto");
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + " · " + b;
    }

    private static Series generation(GenerationResult g, GenerationResult.Setting s, String suffix) {
        Map<String, Share> shares = new LinkedHashMap<>();
        for (GenerationResult.TargetShare t : s.targets()) {
            long f = t.counts().female();
            long n = f + t.counts().male();
            Interval ci = Proportions.wilson(f, n);
            shares.put(
                    t.target(),
                    new Share(
                            100 * t.counts().femaleShare(),
                            100 * ci.lower(),
                            100 * ci.upper(),
                            n,
                            Double.NaN,
                            t.stat()));
        }
        return new Series(
                "generation",
                g.name(),
                s.decoding().name(),
                suffix,
                "100 * female / (female + male) sampled continuations, setting "
                        + s.decoding().name(),
                shares);
    }

    private static Series lean(LeanResult l, String suffix) {
        Map<String, Share> shares = new LinkedHashMap<>();
        for (TargetLean t : l.targets()) {
            double lean = t.lean().value();
            Interval ci = t.lean().ci95();
            shares.put(
                    t.target(),
                    new Share(
                            sigmoid(lean),
                            sigmoid(ci.lower()),
                            sigmoid(ci.upper()),
                            t.lean().n(),
                            lean,
                            t.stat()));
        }
        return new Series(l.measure(), l.name(), "", suffix, "100 * sigmoid(" + l.measure() + ")", shares);
    }

    /** A question's choice is the side of its most likely answer; shares count the questions choosing A or B. */
    private static Series zeroShot(LeanResult l, String suffix) {
        Map<String, LeanItem> best = new LinkedHashMap<>();
        for (LeanItem i : l.items()) {
            String question = i.target() + "\u0000" + i.template() + "\u0000" + i.paraphrase() + "\u0000" + i.context();
            best.merge(question, i, (a, b) -> b.logProb() > a.logProb() ? b : a);
        }
        Map<String, long[]> counts = new HashMap<>();
        for (LeanItem i : best.values()) {
            long[] c = counts.computeIfAbsent(i.target(), k -> new long[2]);
            if (LeanItem.A.equals(i.side())) {
                c[0]++;
            } else if (LeanItem.B.equals(i.side())) {
                c[1]++;
            }
        }
        Map<String, Share> shares = new LinkedHashMap<>();
        for (TargetLean t : l.targets()) {
            long[] c = counts.getOrDefault(t.target(), new long[2]);
            long n = c[0] + c[1];
            Interval ci = Proportions.wilson(c[0], n);
            shares.put(
                    t.target(),
                    new Share(
                            n == 0 ? Double.NaN : 100.0 * c[0] / n,
                            100 * ci.lower(),
                            100 * ci.upper(),
                            n,
                            t.lean().value(),
                            t.stat()));
        }
        return new Series(
                "zero-shot",
                l.name(),
                "",
                suffix,
                "100 * questions answered " + l.groupA() + " / (" + l.groupA() + " + " + l.groupB()
                        + "), each question by its most likely answer",
                shares);
    }

    private static double sigmoid(double x) {
        return 100 / (1 + Math.exp(-x));
    }
}
