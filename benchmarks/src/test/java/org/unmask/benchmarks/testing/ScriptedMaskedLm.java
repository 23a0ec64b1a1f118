package org.unmask.benchmarks.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.model.TokenScorer;

/**
 * A scripted masked LM for unit tests of pure scoring logic: the log-probability of token {@code t} at a masked
 * position is given by a function of the vocabulary string and the (masked) input as decoded text. It records
 * every query it was asked, so tests can check what the benchmark planned.
 */
public final class ScriptedMaskedLm implements TokenScorer {
    private final WordTokenizer tokenizer = new WordTokenizer();
    private final ToDoubleBiFunction<String, String> logProb;
    public final List<LogProbQuery> seen = new ArrayList<>();

    /** @param logProb (token, masked input text) → log-probability */
    public ScriptedMaskedLm(ToDoubleBiFunction<String, String> logProb) {
        this.logProb = logProb;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("scripted-mlm", "Scripted", ModelKind.MASKED_LM, Path.of("."), "0".repeat(64),
                "1".repeat(64), "test", 512, Map.of());
    }

    /** The concrete test tokenizer. */
    public WordTokenizer words() {
        return tokenizer;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) {
        List<List<LogProbs>> out = new ArrayList<>();
        for (LogProbQuery q : batch) {
            seen.add(q);
            String text = masked(q.ids());
            List<LogProbs> reads = new ArrayList<>();
            for (LogProbQuery.Read r : q.reads()) {
                float[] lp = new float[r.tokenIds().length];
                for (int i = 0; i < lp.length; i++) {
                    lp[i] = (float) logProb.applyAsDouble(tokenizer.token(r.tokenIds()[i]), text);
                }
                reads.add(top(r.topK(), text, lp));
            }
            out.add(reads);
        }
        return out;
    }

    /** Top-k over the vocabulary seen so far (special tokens excluded), by the scripted log-probability. */
    private LogProbs top(int k, String text, float[] lp) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 4; id < 10_000 && tokenizer.knows(id); id++) {
            ids.add(id);
        }
        ids.sort((a, b) -> Double.compare(logProb.applyAsDouble(tokenizer.token(b), text),
                logProb.applyAsDouble(tokenizer.token(a), text)));
        int n = Math.min(k, ids.size());
        int[] top = new int[n];
        float[] tl = new float[n];
        for (int i = 0; i < n; i++) {
            top[i] = ids.get(i);
            tl[i] = (float) logProb.applyAsDouble(tokenizer.token(top[i]), text);
        }
        return new LogProbs(top, tl, lp);
    }

    private String masked(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id == 1 || id == 2) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(tokenizer.token(id));
        }
        return sb.toString();
    }

    @Override
    public void close() {}
}
