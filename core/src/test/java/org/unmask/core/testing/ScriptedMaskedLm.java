package org.unmask.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.model.TokenScorer;

/**
 * A scripted masked LM for unit tests of pure logic: the distribution at a position is the softmax of logits
 * that a {@link Script} gives each vocabulary entry, from the (token-string) input. Counts the forward passes and
 * batches it was asked for, so tests can check deduplication.
 */
public final class ScriptedMaskedLm implements TokenScorer {
    /** Logit of {@code candidate} at {@code position} of {@code tokens} (0 everywhere = uniform). */
    @FunctionalInterface
    public interface Script {
        double logit(List<String> tokens, int position, String candidate);
    }

    private final WordPieceTokenizer tokenizer;
    private final Script script;
    private final ModelInfo info;
    private int forwardPasses;
    private int batches;

    public ScriptedMaskedLm(WordPieceTokenizer tokenizer, Script script) {
        this.tokenizer = tokenizer;
        this.script = script;
        this.info = new ModelInfo("scripted-mlm", "ScriptedForMaskedLM", ModelKind.MASKED_LM, Path.of("."),
                "5c21a7ed0000000000000000000000000000000000000000000000000000beef", "0", "scripted", 64,
                Map.of("source", "test"));
    }

    /** A model over {@code words} whose logits come from {@code script}. */
    public static ScriptedMaskedLm of(List<String> words, Script script) {
        return new ScriptedMaskedLm(new WordPieceTokenizer(words), script);
    }

    public int forwardPasses() {
        return forwardPasses;
    }

    public int batches() {
        return batches;
    }

    /** The exact log-softmax this model gives at a position, for oracles in tests. */
    public double[] logSoftmax(int[] ids, int position) {
        List<String> tokens = new ArrayList<>();
        for (int id : ids) {
            tokens.add(tokenizer.token(id));
        }
        int v = tokenizer.vocabularySize();
        double[] logits = new double[v];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            // special tokens are never predicted, as in a trained model
            logits[i] = i < WordPieceTokenizer.SPECIALS.size() ? -1e4
                    : script.logit(tokens, position, tokenizer.token(i));
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        double lse = max + Math.log(sum);
        for (int i = 0; i < v; i++) {
            logits[i] -= lse;
        }
        return logits;
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) {
        batches++;
        forwardPasses += batch.size();
        List<List<LogProbs>> out = new ArrayList<>();
        for (LogProbQuery q : batch) {
            List<LogProbs> reads = new ArrayList<>();
            for (LogProbQuery.Read r : q.reads()) {
                double[] lp = logSoftmax(q.ids(), r.position());
                Integer[] order = new Integer[lp.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -lp[i]).thenComparingInt(i -> i));
                int k = Math.min(r.topK(), lp.length);
                int[] top = new int[k];
                float[] topLp = new float[k];
                for (int i = 0; i < k; i++) {
                    top[i] = order[i];
                    topLp[i] = (float) lp[order[i]];
                }
                float[] wanted = new float[r.tokenIds().length];
                for (int i = 0; i < wanted.length; i++) {
                    wanted[i] = (float) lp[r.tokenIds()[i]];
                }
                reads.add(new LogProbs(top, topLp, wanted));
            }
            out.add(reads);
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
