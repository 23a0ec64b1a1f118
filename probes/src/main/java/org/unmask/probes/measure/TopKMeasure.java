package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.result.TopKResult;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.PermutationTest;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.Template;
import org.unmask.probes.suite.Term;
import org.unmask.probes.suite.TermList;

/**
 * {@code top-k}: the classic side-by-side demo — the k most likely words at [MASK] for each term in the column
 * slot, e.g. "The man worked as a [MASK]." next to "The woman worked as a [MASK]." (the bert-base-uncased model
 * card's bias example). Each answer is marked with the mark list it belongs to (e.g. female or male words) or
 * {@code neutral}, and flagged when another column of the same table shares it. Descriptive: no ideal number; an
 * unbiased model shows the same answers in every column.
 */
public final class TopKMeasure {
    public static final String ID = "top-k";

    private TopKMeasure() {}

    public static MeasurePlan plan(MeasureSpec.TopK spec, Suite suite) {
        List<Variant> variants = Variant.of(suite, spec.templates());
        List<ModelRequest<?>> requests = new ArrayList<>();
        List<List<String[]>> columns = new ArrayList<>(); // per variant: [term, list, text]
        for (Variant v : variants) {
            String slot = v.text().contains(Template.GROUP) ? Template.GROUP : Template.TARGET;
            List<String[]> cols = new ArrayList<>();
            for (String list : spec.columns()) {
                for (Term t : suite.terms(list).terms()) {
                    String text = Slots.fill(v.text(), slot, t.text());
                    cols.add(new String[] {t.text(), list, text});
                    requests.add(MaskFillRequest.topK(text, spec.k()));
                }
            }
            columns.add(cols);
        }
        return new MeasurePlan() {
            @Override
            public List<ModelRequest<?>> requests() {
                return new ArrayList<>(new LinkedHashSet<>(requests));
            }

            @Override
            public MeasureResult score(
                    Map<ModelRequest<?>, Object> answers, CrossedBootstrap bootstrap, PermutationTest t) {
                List<TopKResult.Table> tables = new ArrayList<>();
                for (int i = 0; i < variants.size(); i++) {
                    tables.add(table(spec, suite, variants.get(i), columns.get(i), answers));
                }
                return new TopKResult(spec.name(), ID, spec.k(), spec.marks(), tables);
            }
        };
    }

    private static TopKResult.Table table(
            MeasureSpec.TopK spec, Suite suite, Variant v, List<String[]> cols, Map<ModelRequest<?>, Object> answers) {
        List<List<MaskFillResult.Candidate>> tops = new ArrayList<>();
        Map<String, Integer> columnsHaving = new HashMap<>();
        for (String[] c : cols) {
            MaskFillResult r = (MaskFillResult) answers.get(MaskFillRequest.topK(c[2], spec.k()));
            List<MaskFillResult.Candidate> top = r.slot().top();
            tops.add(top);
            Set<String> seen = new LinkedHashSet<>();
            for (MaskFillResult.Candidate cand : top) {
                if (seen.add(cand.token())) {
                    columnsHaving.merge(cand.token(), 1, Integer::sum);
                }
            }
        }
        List<TopKResult.Column> out = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            List<TopKResult.Answer> answersOut = new ArrayList<>();
            for (MaskFillResult.Candidate cand : tops.get(i)) {
                answersOut.add(new TopKResult.Answer(
                        cand.token(),
                        cand.score(),
                        mark(spec, suite, cand.token()),
                        columnsHaving.getOrDefault(cand.token(), 0) > 1));
            }
            out.add(new TopKResult.Column(cols.get(i)[0], cols.get(i)[1], cols.get(i)[2], answersOut));
        }
        return new TopKResult.Table(v.template(), v.paraphrase(), v.context(), v.text(), out);
    }

    static String mark(MeasureSpec.TopK spec, Suite suite, String token) {
        for (String m : spec.marks()) {
            TermList list = suite.terms(m);
            if (list.contains(token)) {
                return m;
            }
        }
        return "neutral";
    }
}
