package org.unmask.mitigation.calibration;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.model.TokenScorer;
import org.unmask.mitigation.cda.SwapLexicon;

/**
 * Post-processing by counterfactual averaging: a {@link TokenScorer} whose distribution at a position is the
 * average of the parent's distribution on the input and, gender-swapped back, on the gender-swapped input:
 *
 * <pre>  P'(w | x) = ½ · P(w | x) + ½ · P(π(w) | σ(x))</pre>
 *
 * where σ swaps gendered input tokens ({@link TokenSwapMap#inputSwap}) and π is the vocabulary permutation of the
 * same pairs ({@link TokenSwapMap#outputPermutation}). Reading the swapped run through π keeps coreference
 * ("the man said [MASK]" still prefers "he") while making the model gender-symmetric: {@code P'(he | x)} equals
 * {@code P'(she | σ(x))}, and on inputs without gendered words {@code P'(he) = P'(she)}. This is the
 * counterfactual-averaging idea of e.g. Zhao et al. 2019 / Emami et al. applied at inference; it doubles the
 * forward passes. Results are returned as natural-log probabilities, like any model, so the wrapper can be
 * audited as a model of its own ({@link #info()} names the parent in its lineage).
 *
 * <p>Top-k is computed over the union of both runs' top-2k candidates (re-scored exactly in a second pass when a
 * candidate's partner probability is missing), so a token that is in neither run's top-2k cannot appear; this
 * is exact whenever the true averaged top-k lies in that union, which holds for the first ranks in practice.
 */
public final class SwapAveragingScorer implements TokenScorer {
    /** Method name recorded in the lineage. */
    public static final String METHOD = "counterfactual-averaging";

    private final TokenScorer parent;
    private final TokenSwapMap swap;
    private final ModelInfo info;

    public SwapAveragingScorer(TokenScorer parent, SwapLexicon lexicon) {
        this.parent = parent;
        this.swap = new TokenSwapMap(parent.tokenizer(), lexicon);
        ModelInfo p = parent.info();
        Map<String, String> lineage = new LinkedHashMap<>(p.lineage());
        lineage.put("parent", p.id());
        lineage.put("parentWeightsSha256", p.weightsSha256());
        lineage.put("method", METHOD + " (gender swap of input tokens, " + lexicon.name() + ")");
        lineage.put("wordListSha256", lexicon.sha256());
        String fingerprint = sha256(p.weightsSha256() + "|" + METHOD + "|" + lexicon.sha256());
        this.info = new ModelInfo(
                p.id() + "+" + METHOD,
                p.architecture(),
                p.kind(),
                p.location(),
                fingerprint,
                p.tokenizerSha256(),
                p.backend(),
                p.maxLength(),
                lineage);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public TextTokenizer tokenizer() {
        return parent.tokenizer();
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) throws ModelException {
        int n = batch.size();
        List<LogProbQuery> first = new ArrayList<>(2 * n);
        for (LogProbQuery q : batch) {
            first.add(widen(q, false));
        }
        for (LogProbQuery q : batch) {
            first.add(widen(q, true));
        }
        List<List<LogProbs>> a = parent.score(first);
        // collect candidates whose partner probability is unknown and re-score them exactly
        List<List<Map<Integer, Float>>> orig = new ArrayList<>();
        List<List<Map<Integer, Float>>> swapped = new ArrayList<>();
        List<List<LinkedHashSet<Integer>>> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Map<Integer, Float>> o = new ArrayList<>();
            List<Map<Integer, Float>> s = new ArrayList<>();
            List<LinkedHashSet<Integer>> c = new ArrayList<>();
            List<Read> reads = batch.get(i).reads();
            for (int r = 0; r < reads.size(); r++) {
                Map<Integer, Float> om =
                        known(a.get(i).get(r), first.get(i).reads().get(r), false);
                Map<Integer, Float> sm =
                        known(a.get(n + i).get(r), first.get(n + i).reads().get(r), true);
                LinkedHashSet<Integer> cand = new LinkedHashSet<>(om.keySet());
                cand.addAll(sm.keySet());
                o.add(om);
                s.add(sm);
                c.add(cand);
            }
            orig.add(o);
            swapped.add(s);
            candidates.add(c);
        }
        rescoreMissing(batch, orig, swapped, candidates);
        List<List<LogProbs>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<LogProbs> answers = new ArrayList<>();
            List<Read> reads = batch.get(i).reads();
            for (int r = 0; r < reads.size(); r++) {
                answers.add(average(
                        reads.get(r),
                        orig.get(i).get(r),
                        swapped.get(i).get(r),
                        candidates.get(i).get(r)));
            }
            out.add(answers);
        }
        return out;
    }

    /** The query with top-2k and the requested ids (permuted for the swapped run). */
    private LogProbQuery widen(LogProbQuery q, boolean swapped) {
        int[] ids = swapped ? swap.inputSwap(q.ids()) : q.ids();
        List<Read> reads = new ArrayList<>();
        for (Read r : q.reads()) {
            int[] want = swapped ? permute(r.tokenIds()) : r.tokenIds();
            reads.add(new Read(r.position(), r.topK() == 0 ? 0 : 2 * r.topK(), want));
        }
        return new LogProbQuery(ids, reads);
    }

    /** Probabilities known from one run, keyed by the id in the original (unswapped) vocabulary frame. */
    private Map<Integer, Float> known(LogProbs lp, Read read, boolean swapped) {
        Map<Integer, Float> m = new HashMap<>();
        for (int j = 0; j < lp.topIds().length; j++) {
            int id = swapped ? swap.outputPermutation(lp.topIds()[j]) : lp.topIds()[j];
            m.put(id, (float) Math.exp(lp.topLogProbs()[j]));
        }
        for (int j = 0; j < read.tokenIds().length; j++) {
            int id = swapped ? swap.outputPermutation(read.tokenIds()[j]) : read.tokenIds()[j];
            m.put(id, (float) Math.exp(lp.tokenLogProbs()[j]));
        }
        return m;
    }

    private void rescoreMissing(
            List<LogProbQuery> batch,
            List<List<Map<Integer, Float>>> orig,
            List<List<Map<Integer, Float>>> swapped,
            List<List<LinkedHashSet<Integer>>> candidates)
            throws ModelException {
        List<LogProbQuery> second = new ArrayList<>();
        List<int[]> where = new ArrayList<>(); // {query index, 0 = original run / 1 = swapped run}
        for (int i = 0; i < batch.size(); i++) {
            for (int side = 0; side < 2; side++) {
                List<Read> reads = new ArrayList<>();
                boolean any = false;
                List<Read> qReads = batch.get(i).reads();
                for (int r = 0; r < qReads.size(); r++) {
                    Map<Integer, Float> have =
                            side == 0 ? orig.get(i).get(r) : swapped.get(i).get(r);
                    int[] missing = candidates.get(i).get(r).stream()
                            .filter(id -> !have.containsKey(id))
                            .mapToInt(Integer::intValue)
                            .toArray();
                    any |= missing.length > 0;
                    reads.add(new Read(qReads.get(r).position(), 0, side == 0 ? missing : permute(missing)));
                }
                if (any) {
                    int[] ids = side == 0
                            ? batch.get(i).ids()
                            : swap.inputSwap(batch.get(i).ids());
                    second.add(new LogProbQuery(ids, reads));
                    where.add(new int[] {i, side});
                }
            }
        }
        if (second.isEmpty()) {
            return;
        }
        List<List<LogProbs>> b = parent.score(second);
        for (int k = 0; k < second.size(); k++) {
            int i = where.get(k)[0];
            boolean sw = where.get(k)[1] == 1;
            for (int r = 0; r < second.get(k).reads().size(); r++) {
                Map<Integer, Float> target =
                        sw ? swapped.get(i).get(r) : orig.get(i).get(r);
                target.putAll(known(b.get(k).get(r), second.get(k).reads().get(r), sw));
            }
        }
    }

    private static LogProbs average(Read read, Map<Integer, Float> o, Map<Integer, Float> s, LinkedHashSet<Integer> c) {
        float[] tokenLp = new float[read.tokenIds().length];
        for (int j = 0; j < tokenLp.length; j++) {
            int id = read.tokenIds()[j];
            tokenLp[j] = (float) Math.log(0.5 * o.get(id) + 0.5 * s.get(id));
        }
        if (read.topK() == 0) {
            return new LogProbs(new int[0], new float[0], tokenLp);
        }
        Integer[] ids = c.toArray(new Integer[0]);
        double[] p = new double[ids.length];
        for (int j = 0; j < ids.length; j++) {
            p[j] = 0.5 * o.get(ids[j]) + 0.5 * s.get(ids[j]);
        }
        Integer[] order = new Integer[ids.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> p[y] != p[x] ? Double.compare(p[y], p[x]) : Integer.compare(ids[x], ids[y]));
        int k = Math.min(read.topK(), ids.length);
        int[] top = new int[k];
        float[] topLp = new float[k];
        for (int j = 0; j < k; j++) {
            top[j] = ids[order[j]];
            topLp[j] = (float) Math.log(p[order[j]]);
        }
        return new LogProbs(top, topLp, tokenLp);
    }

    private int[] permute(int[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = swap.outputPermutation(ids[i]);
        }
        return out;
    }

    /** Closes the parent: the wrapper owns it. */
    @Override
    public void close() {
        parent.close();
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
