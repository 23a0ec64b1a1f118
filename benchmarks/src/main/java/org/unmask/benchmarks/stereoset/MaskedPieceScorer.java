package org.unmask.benchmarks.stereoset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.TokenScorer;

/**
 * Batches "probability of word piece {@code t} at the mask in these ids" questions straight to a
 * {@link TokenScorer}. StereoSet's scheme asks for the probability of a <em>sub-word piece</em> (e.g.
 * {@code ##th}) after a decoded prefix, which no text-level request in core can express (a target word is
 * re-tokenised; a PLL re-tokenises the filled text), so this scorer works on ids. It still batches: inputs are
 * deduplicated (reads on equal ids are merged), sorted by length and sent {@code batchSize} at a time.
 */
final class MaskedPieceScorer {
    private final TokenScorer scorer;
    private final int batchSize;
    private final Map<Key, LinkedHashSet<Integer>> wanted = new LinkedHashMap<>();
    private final Map<Key, Map<Integer, Double>> answers = new LinkedHashMap<>();
    private long forwardPasses;
    private long modelNanos;

    /** Input ids and the read position, as a map key. */
    record Key(int[] ids, int position) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.position == position && Arrays.equals(k.ids, ids);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(ids) + position;
        }
    }

    MaskedPieceScorer(LanguageModel model, int batchSize) throws InvalidInputException {
        if (!(model instanceof TokenScorer s) || model.tokenizer().maskTokenId() < 0) {
            throw new InvalidInputException(
                    model.info().id() + " is not a masked language model",
                    "StereoSet intrasentence needs a masked LM (BERT family)");
        }
        this.scorer = s;
        this.batchSize = batchSize;
    }

    /** Asks for {@code P(token | ids)} at {@code position}. */
    void ask(int[] ids, int position, int token) {
        wanted.computeIfAbsent(new Key(ids, position), k -> new LinkedHashSet<>())
                .add(token);
    }

    /** Runs every pending question. */
    void run(ProgressListener progress) throws ModelException {
        List<Key> todo = new ArrayList<>(wanted.keySet());
        todo.removeAll(answers.keySet());
        todo.sort(Comparator.comparingInt(k -> k.ids().length));
        for (int from = 0; from < todo.size(); from += batchSize) {
            List<Key> chunk = todo.subList(from, Math.min(todo.size(), from + batchSize));
            List<LogProbQuery> batch = new ArrayList<>();
            for (Key k : chunk) {
                int[] tokens =
                        wanted.get(k).stream().mapToInt(Integer::intValue).toArray();
                batch.add(new LogProbQuery(k.ids(), List.of(new LogProbQuery.Read(k.position(), 0, tokens))));
            }
            long t0 = System.nanoTime();
            List<List<LogProbs>> out = scorer.score(batch);
            modelNanos += System.nanoTime() - t0;
            forwardPasses += chunk.size();
            for (int i = 0; i < chunk.size(); i++) {
                Map<Integer, Double> m = new LinkedHashMap<>();
                int[] tokens = batch.get(i).reads().get(0).tokenIds();
                float[] lp = out.get(i).get(0).tokenLogProbs();
                for (int j = 0; j < tokens.length; j++) {
                    m.put(tokens[j], (double) lp[j]);
                }
                answers.put(chunk.get(i), m);
            }
            progress.progress(from + chunk.size(), todo.size(), "forward passes");
        }
    }

    /** The probability asked for (after {@link #run}). */
    double probability(int[] ids, int position, int token) {
        return Math.exp(answers.get(new Key(ids, position)).get(token));
    }

    long forwardPasses() {
        return forwardPasses;
    }

    double modelSeconds() {
        return modelNanos / 1e9;
    }
}
