package org.unmask.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.TokenScorer;

/**
 * The one scripted masked LM of every module's tests. By default the distribution at a position is the softmax of
 * logits that a {@link Script} gives each vocabulary entry, from the (token-string) input; one made with
 * {@link #logProbs} takes the script's value as the log-probability itself, unnormalised, for tests whose expected
 * numbers are sums of chosen log-probabilities. Special tokens are never predicted, as in a trained model.
 *
 * <p>It records every query and batch size it was asked for (so tests can check deduplication and planning), can
 * simulate the fixed and per-input cost of a real forward pass ({@link #withLatency}) and carries a configurable
 * {@link ModelInfo} ({@link #withInfo}). Thread-safe.
 */
public final class ScriptedMaskedLm implements TokenScorer {
    /** Logit (or log-probability) of {@code candidate} at {@code position} of {@code tokens}. */
    @FunctionalInterface
    public interface Script {
        double logit(List<String> tokens, int position, String candidate);
    }

    private static final ModelInfo DEFAULT_INFO = new ModelInfo(
            "scripted-mlm",
            "ScriptedForMaskedLM",
            ModelKind.MASKED_LM,
            Path.of("."),
            "5c21a7ed0000000000000000000000000000000000000000000000000000beef",
            "0",
            "scripted",
            64,
            Map.of("source", "test"));

    private final WordPieceTokenizer tokenizer;
    private final Script script;
    private final boolean normalised;
    private final ModelInfo info;
    private final long callNanos;
    private final long perInputNanos;
    private final AtomicInteger forwardPasses = new AtomicInteger();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<LogProbQuery> queries = new CopyOnWriteArrayList<>();

    /** A model over {@code tokenizer} whose logits come from {@code script} (0 everywhere = uniform). */
    public ScriptedMaskedLm(WordPieceTokenizer tokenizer, Script script) {
        this(tokenizer, script, true, DEFAULT_INFO, 0, 0);
    }

    private ScriptedMaskedLm(
            WordPieceTokenizer tokenizer,
            Script script,
            boolean normalised,
            ModelInfo info,
            long callNanos,
            long perInputNanos) {
        this.tokenizer = tokenizer;
        this.script = script;
        this.normalised = normalised;
        this.info = info;
        this.callNanos = callNanos;
        this.perInputNanos = perInputNanos;
    }

    /** A model over {@code words} whose logits come from {@code script}. */
    public static ScriptedMaskedLm of(List<String> words, Script script) {
        return new ScriptedMaskedLm(new WordPieceTokenizer(words), script);
    }

    /** A model whose log-probability of a candidate is {@code script}'s value as it is (not normalised). */
    public static ScriptedMaskedLm logProbs(WordPieceTokenizer tokenizer, Script script) {
        return new ScriptedMaskedLm(tokenizer, script, false, DEFAULT_INFO, 0, 0);
    }

    /** The same script under another identity (id, architecture, maximum length…); fresh counters. */
    public ScriptedMaskedLm withInfo(ModelInfo newInfo) {
        return new ScriptedMaskedLm(tokenizer, script, normalised, newInfo, callNanos, perInputNanos);
    }

    /** The same script and identity with the model id {@code id}; fresh counters. */
    public ScriptedMaskedLm withId(String id) {
        return withInfo(new ModelInfo(
                id,
                info.architecture(),
                info.kind(),
                info.location(),
                info.weightsSha256(),
                info.tokenizerSha256(),
                info.backend(),
                info.maxLength(),
                info.lineage()));
    }

    /** The same model, sleeping {@code callMillis} plus {@code perInputMillis} per input in every call. */
    public ScriptedMaskedLm withLatency(double callMillis, double perInputMillis) {
        return new ScriptedMaskedLm(
                tokenizer, script, normalised, info, (long) (callMillis * 1e6), (long) (perInputMillis * 1e6));
    }

    /** Input sequences scored so far. */
    public int forwardPasses() {
        return forwardPasses.get();
    }

    /** Calls to {@link #score} so far. */
    public int batches() {
        return batchSizes.size();
    }

    /** Sizes of the batches passed to {@link #score}, in call order. */
    public List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** Every query answered so far, in order. */
    public List<LogProbQuery> queries() {
        return List.copyOf(queries);
    }

    /** The exact log-probabilities this model gives at a position, for oracles in tests. */
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
            logits[i] =
                    i < WordPieceTokenizer.SPECIALS.size() ? -1e4 : script.logit(tokens, position, tokenizer.token(i));
            max = Math.max(max, logits[i]);
        }
        if (!normalised) {
            return logits;
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
        batchSizes.add(batch.size());
        forwardPasses.addAndGet(batch.size());
        queries.addAll(batch);
        sleep(callNanos + perInputNanos * batch.size());
        List<List<LogProbs>> out = new ArrayList<>();
        for (LogProbQuery q : batch) {
            List<LogProbs> reads = new ArrayList<>();
            for (LogProbQuery.Read r : q.reads()) {
                double[] lp = logSoftmax(q.ids(), r.position());
                Integer[] order = new Integer[lp.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(
                        order, Comparator.comparingDouble((Integer i) -> -lp[i]).thenComparingInt(i -> i));
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

    private static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {}
}
