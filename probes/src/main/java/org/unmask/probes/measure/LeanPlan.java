package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.PermutationTest;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;

/** The plan shared by lean measures: a list of probes (one scored word each), then {@link LeanScoring}. */
final class LeanPlan implements MeasurePlan {
    /**
     * One word to score in one sentence.
     *
     * @param request the fill-mask request the word is a target of
     * @param slot which mask of the request's text
     * @param word the target as written in the request (may be capitalised)
     * @param prior the prior request (Kurita), or null
     * @param priorSlot the mask of the prior that stands for the same word
     */
    record Probe(
            Variant variant,
            String side,
            String group,
            String term,
            String target,
            MaskFillRequest request,
            int slot,
            String word,
            MaskFillRequest prior,
            int priorSlot) {}

    private final MeasureSpec.Lean spec;
    private final Suite suite;
    private final String formula;
    private final double ideal;
    private final LeanPooling pooling;
    private final List<Probe> probes;

    LeanPlan(
            MeasureSpec.Lean spec, Suite suite, String formula, double ideal, LeanPooling pooling, List<Probe> probes) {
        this.spec = spec;
        this.suite = suite;
        this.formula = formula;
        this.ideal = ideal;
        this.pooling = pooling;
        this.probes = List.copyOf(probes);
    }

    List<Probe> probes() {
        return probes;
    }

    @Override
    public List<ModelRequest<?>> requests() {
        LinkedHashSet<ModelRequest<?>> out = new LinkedHashSet<>();
        for (Probe p : probes) {
            out.add(p.request());
            if (p.prior() != null) {
                out.add(p.prior());
            }
        }
        return new ArrayList<>(out);
    }

    @Override
    public LeanResult score(Map<ModelRequest<?>, Object> answers, CrossedBootstrap bootstrap, PermutationTest test) {
        List<LeanItem> items = new ArrayList<>();
        for (Probe p : probes) {
            double lp = logProb(answers, p.request(), p.slot(), p.word());
            double prior = p.prior() == null ? Double.NaN : logProb(answers, p.prior(), p.priorSlot(), p.word());
            double score = p.prior() == null ? lp : lp - prior;
            items.add(new LeanItem(
                    spec.name(),
                    p.variant().template(),
                    p.variant().paraphrase(),
                    p.variant().context(),
                    p.side(),
                    p.group(),
                    p.term(),
                    p.target(),
                    p.request().text(),
                    lp,
                    prior,
                    score));
        }
        return new LeanScoring(spec, suite, bootstrap, test, pooling).result(formula, ideal, items);
    }

    private static double logProb(Map<ModelRequest<?>, Object> answers, MaskFillRequest r, int slot, String word) {
        Object a = answers.get(r);
        if (!(a instanceof MaskFillResult m)) {
            throw new IllegalStateException("no answer for " + r);
        }
        return m.slots().get(slot).target(word).logProb();
    }

    /** Groups (text → targets) so each distinct sentence is one request with all its target words. */
    static final class RequestBuilder {
        private final Map<String, LinkedHashSet<String>> targets = new java.util.LinkedHashMap<>();
        private final List<Object[]> pending = new ArrayList<>();

        /** Registers a word to score in {@code text}; returns a handle resolved by {@link #build}. */
        int add(String text, String word) {
            targets.computeIfAbsent(text, k -> new LinkedHashSet<>()).add(word);
            pending.add(new Object[] {text, word});
            return pending.size() - 1;
        }

        Map<String, MaskFillRequest> build() {
            Map<String, MaskFillRequest> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, LinkedHashSet<String>> e : targets.entrySet()) {
                out.put(e.getKey(), MaskFillRequest.targets(e.getKey(), new ArrayList<>(e.getValue())));
            }
            return out;
        }
    }
}
