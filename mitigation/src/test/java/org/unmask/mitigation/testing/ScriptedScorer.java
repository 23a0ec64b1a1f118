package org.unmask.mitigation.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.model.TokenScorer;

/**
 * A scripted masked LM for unit tests of pure logic: the distribution at a position is given by a function of
 * the input ids and the position (unnormalised weights, normalised here).
 */
public final class ScriptedScorer implements TokenScorer {
    private final WordTokenizer tokenizer;
    private final BiFunction<int[], Integer, double[]> weights;
    private final ModelInfo info;
    public int forwardPasses;

    public ScriptedScorer(WordTokenizer tokenizer, BiFunction<int[], Integer, double[]> weights) {
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.info = new ModelInfo("scripted", "BertForMaskedLM", ModelKind.MASKED_LM, Path.of("."),
                "ab".repeat(32), "cd".repeat(32), "scripted", 64, Map.of("source", "test"));
    }

    /** The normalised probabilities the script gives. */
    public double[] probabilities(int[] ids, int position) {
        double[] w = weights.apply(ids, position).clone();
        double s = Arrays.stream(w).sum();
        for (int i = 0; i < w.length; i++) {
            w[i] /= s;
        }
        return w;
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) {
        List<List<LogProbs>> out = new ArrayList<>();
        for (LogProbQuery q : batch) {
            forwardPasses++;
            List<LogProbs> answers = new ArrayList<>();
            for (LogProbQuery.Read r : q.reads()) {
                double[] p = probabilities(q.ids(), r.position());
                Integer[] order = new Integer[p.length];
                for (int i = 0; i < p.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> p[b] != p[a] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
                int k = Math.min(r.topK(), p.length);
                int[] top = new int[k];
                float[] topLp = new float[k];
                for (int i = 0; i < k; i++) {
                    top[i] = order[i];
                    topLp[i] = (float) Math.log(p[order[i]]);
                }
                float[] lp = new float[r.tokenIds().length];
                for (int i = 0; i < lp.length; i++) {
                    lp[i] = (float) Math.log(p[r.tokenIds()[i]]);
                }
                answers.add(new LogProbs(top, topLp, lp));
            }
            out.add(answers);
        }
        return out;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {}
}
