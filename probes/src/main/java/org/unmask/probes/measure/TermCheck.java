package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult.Warning;
import org.unmask.core.stats.CrossedDesign;

/**
 * Finds heterogeneous group terms: a term whose scores sit far below its group's other terms in every template
 * (e.g. {@code her} beside {@code she} in a subject slot). Such a term silently turns the lean into "which term was
 * drawn": a resample that draws only {@code her} against {@code he} moves the whole interval by the distance
 * between {@code her} and {@code she}.
 *
 * <p>Rule: in a group of two or more terms, term k's deviation in template j is its mean score there (over targets
 * and contexts) minus the median of the group's other terms in that template. The term is flagged when the
 * deviation is negative in every template and its mean over templates is at most {@code −max(1 nat, 2 × median
 * |lean|)}: the term is at least e ≈ 2.7 times less likely than its group mates and the gap is at least twice
 * the typical lean being measured.
 */
final class TermCheck {
    static final String KIND = "heterogeneous-term";
    static final double MIN_GAP = 1.0;

    private TermCheck() {}

    static List<Warning> heterogeneous(List<LeanItem> scored, double[] leans) {
        double[] abs = Arrays.stream(leans)
                .filter(v -> !Double.isNaN(v))
                .map(Math::abs)
                .sorted()
                .toArray();
        double typical = abs.length == 0 ? 0 : abs[abs.length / 2];
        double threshold = Math.max(MIN_GAP, 2 * typical);
        List<Warning> out = new ArrayList<>();
        for (String side : List.of(LeanItem.A, LeanItem.B)) {
            // template -> term -> {sum, n}
            Map<String, Map<String, double[]>> byTemplate = new LinkedHashMap<>();
            Map<String, String> groupOf = new LinkedHashMap<>();
            for (LeanItem i : scored) {
                if (i.side().equals(side)) {
                    double[] acc = byTemplate
                            .computeIfAbsent(i.templateKey(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(i.term(), k -> new double[2]);
                    acc[0] += i.score();
                    acc[1]++;
                    groupOf.putIfAbsent(i.term(), i.group());
                }
            }
            if (groupOf.size() < 2) {
                continue;
            }
            for (String term : groupOf.keySet()) {
                double sum = 0;
                int templates = 0;
                boolean allBelow = true;
                for (Map<String, double[]> terms : byTemplate.values()) {
                    double[] own = terms.get(term);
                    double[] others = terms.entrySet().stream()
                            .filter(e -> !e.getKey().equals(term))
                            .mapToDouble(e -> e.getValue()[0] / e.getValue()[1])
                            .sorted()
                            .toArray();
                    if (own == null || others.length == 0) {
                        continue;
                    }
                    double median = others.length % 2 == 1
                            ? others[others.length / 2]
                            : (others[others.length / 2 - 1] + others[others.length / 2]) / 2;
                    double deviation = own[0] / own[1] - median;
                    allBelow &= deviation < 0;
                    sum += deviation;
                    templates++;
                }
                if (templates == 0 || !allBelow || sum / templates > -threshold) {
                    continue;
                }
                double gap = -sum / templates;
                String group = groupOf.get(term);
                // a group of fewer than 3 terms is held fixed (CrossedDesign): the term then biases every number
                // instead of widening the interval
                String effect = groupOf.size() < CrossedDesign.MIN_RESAMPLED_LEVELS
                        ? "the lean mixes the model's lean with the gap between the group's terms"
                        : "resamples that draw it decide the interval";
                out.add(new Warning(
                        KIND,
                        term,
                        String.format(
                                Locale.ROOT,
                                "group term '%s' (group '%s') scores "
                                        + "%.2f nats (x%.0f less likely) below the group's other terms in every one of %d template%s: "
                                        + "%s",
                                term,
                                group,
                                gap,
                                Math.exp(gap),
                                templates,
                                templates == 1 ? "" : "s",
                                effect),
                        String.format(
                                Locale.ROOT,
                                "remove '%s' from group '%s' (or give it its own measure with "
                                        + "templates where it fits the slot); without it the numbers show the lean, not the distance "
                                        + "between the group's terms",
                                term,
                                group)));
            }
        }
        return out;
    }
}
