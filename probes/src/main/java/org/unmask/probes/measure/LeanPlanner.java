package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.result.LeanItem;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;

/** Collects the words lean measures score, then groups them into one request per distinct sentence. */
final class LeanPlanner {
    private record Pending(
            Variant variant,
            String side,
            String group,
            String term,
            String target,
            String text,
            int slot,
            String word,
            String priorText,
            int priorSlot) {}

    private final LeanPlan.RequestBuilder builder = new LeanPlan.RequestBuilder();
    private final List<Pending> pending = new ArrayList<>();

    /** A word to score at mask {@code slot} of {@code text}, optionally against a prior sentence. */
    void add(
            Variant v,
            String side,
            String group,
            String term,
            String target,
            String text,
            int slot,
            String word,
            String priorText,
            int priorSlot) {
        builder.add(text, word);
        if (priorText != null) {
            builder.add(priorText, word);
        }
        pending.add(new Pending(v, side, group, term, target, text, slot, word, priorText, priorSlot));
    }

    LeanPlan plan(MeasureSpec.Lean spec, Suite suite, String formula, double ideal) {
        return plan(spec, suite, formula, ideal, LeanPooling.MEAN);
    }

    LeanPlan plan(MeasureSpec.Lean spec, Suite suite, String formula, double ideal, LeanPooling pooling) {
        Map<String, MaskFillRequest> requests = builder.build();
        List<LeanPlan.Probe> probes = new ArrayList<>();
        for (Pending p : pending) {
            probes.add(new LeanPlan.Probe(
                    p.variant(),
                    p.side(),
                    p.group(),
                    p.term(),
                    p.target(),
                    requests.get(p.text()),
                    p.slot(),
                    p.word(),
                    p.priorText() == null ? null : requests.get(p.priorText()),
                    p.priorSlot()));
        }
        return new LeanPlan(spec, suite, formula, ideal, pooling, probes);
    }

    /** The three sides of a lean measure with their term lists (neutral may be absent). */
    static List<String[]> sides(MeasureSpec.Lean spec) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {LeanItem.A, spec.groupA()});
        out.add(new String[] {LeanItem.B, spec.groupB()});
        if (spec.neutral() != null) {
            out.add(new String[] {LeanItem.NEUTRAL, spec.neutral()});
        }
        return out;
    }
}
