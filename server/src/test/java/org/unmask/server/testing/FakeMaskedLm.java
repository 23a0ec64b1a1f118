package org.unmask.server.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.unmask.core.lexicon.Lexicons;
import org.unmask.core.lexicon.Occupation;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.model.TokenScorer;

/**
 * A scripted masked LM for server tests: a word-piece tokenizer over a small vocabulary and
 * deterministic logits in which "doctor" and "engineer" rise after male words and "nurse" and
 * "secretary" after female words, and waitress, maid, waiter and salesman top every sentence with "served". It
 * records every batch it is given and can simulate the fixed per-call cost of a real forward pass.
 */
public final class FakeMaskedLm implements TokenScorer {
    private static final List<String> BASE = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "the",
            "a", "an", "as", "is", "was", "worked", "works", "he", "she", "man", "woman", "father", "mother", "his",
            "her", "my", "son", "daughter", "boy", "girl", "person", "job", "hired", "wants", "to", "become",
            "training", "be", "fire", "##fighter", "para", "##legal", "<", ">", "img", "script", "alert", "(", ")",
            "1", "=", "src", "x", "onerror", "/", "\"", "'", "word", "hello", "teacher", "writer");
    private static final List<String> MALE = List.of("he", "man", "father", "his", "son", "boy");
    private static final List<String> FEMALE = List.of("she", "woman", "mother", "her", "daughter", "girl");
    /** Gendered job nouns the WinoBias pairs lack; they top the predictions of a sentence with "served". */
    private static final List<String> SERVED = List.of("waitress", "maid", "waiter", "salesman");

    private final List<String> vocab = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final Tokenizer tokenizer = new Tokenizer();
    private final long callNanos;
    private final long perInputNanos;
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    /**
     * @param callMillis simulated fixed cost of one model call
     * @param perInputMillis simulated cost per input sequence in a call
     */
    public FakeMaskedLm(double callMillis, double perInputMillis) {
        this.callNanos = (long) (callMillis * 1e6);
        this.perInputNanos = (long) (perInputMillis * 1e6);
        for (String w : BASE) {
            add(w);
        }
        for (Occupation o : Lexicons.occupations()) {
            if (!o.name().equals("firefighter") && !o.name().equals("paralegal")) {
                add(o.name());
            }
        }
        // after every other word, so the ids (and logits) of the words above stay as they were
        for (String w : SERVED) {
            add(w);
        }
        add("served");
    }

    private void add(String w) {
        if (!ids.containsKey(w)) {
            ids.put(w, vocab.size());
            vocab.add(w);
        }
    }

    /** Sizes of the batches passed to {@link #score}, in call order. */
    public List<Integer> batchSizes() {
        return batchSizes;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("fake-bert", "BertForMaskedLM", ModelKind.MASKED_LM, Path.of("."), "0123456789abcdef0123",
                "00", "scripted fake", 48, Map.of());
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) {
        batchSizes.add(batch.size());
        sleep(callNanos + perInputNanos * batch.size());
        List<List<LogProbs>> out = new ArrayList<>();
        for (LogProbQuery q : batch) {
            List<LogProbs> reads = new ArrayList<>();
            double[] logits = logits(q.ids());
            double[] lp = logSoftmax(logits);
            for (LogProbQuery.Read r : q.reads()) {
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
                float[] want = new float[r.tokenIds().length];
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) lp[r.tokenIds()[i]];
                }
                reads.add(new LogProbs(top, topLp, want));
            }
            out.add(reads);
        }
        return out;
    }

    private double[] logits(int[] input) {
        double[] z = new double[vocab.size()];
        for (int i = 0; i < z.length; i++) {
            z[i] = -0.05 * (i % 17);
        }
        for (int s : new int[] {0, 1, 2, 3, 4}) {
            z[s] = -20; // specials are never predicted
        }
        int male = 0;
        int female = 0;
        for (int id : input) {
            male += MALE.contains(vocab.get(id)) ? 1 : 0;
            female += FEMALE.contains(vocab.get(id)) ? 1 : 0;
        }
        z[ids.get("doctor")] += 3 * male + 1;
        z[ids.get("engineer")] += 2.5 * male + 0.5;
        z[ids.get("nurse")] += 3 * female + 1;
        z[ids.get("secretary")] += 2.5 * female + 0.5;
        z[ids.get("he")] += 2;
        z[ids.get("she")] += 1.5;
        z[ids.get("teacher")] += 2.2;
        boolean served = false;
        for (int id : input) {
            served |= vocab.get(id).equals("served");
        }
        for (int i = 0; served && i < SERVED.size(); i++) {
            z[ids.get(SERVED.get(i))] += 8 - 0.5 * i;
        }
        return z;
    }

    private static double[] logSoftmax(double[] z) {
        double max = Arrays.stream(z).max().orElse(0);
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = z[i] - log;
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
    public void close() {}

    /** Lower-cases, splits on spaces and punctuation, then greedy longest-match word pieces. */
    private final class Tokenizer implements TextTokenizer {
        @Override
        public Encoding encode(String text) {
            List<String> toks = new ArrayList<>();
            toks.add("[CLS]");
            toks.addAll(split(text));
            toks.add("[SEP]");
            return encoding(toks, true);
        }

        @Override
        public Encoding encodeWithoutSpecials(String text) {
            return encoding(split(text), false);
        }

        private List<String> split(String text) {
            List<String> out = new ArrayList<>();
            String spaced = text.replace("[MASK]", " [MASK] ");
            for (String raw : spaced.trim().split("\\s+")) {
                if (raw.isEmpty()) {
                    continue;
                }
                if (raw.equals("[MASK]")) {
                    out.add(raw);
                    continue;
                }
                for (String w : raw.toLowerCase(Locale.ROOT).split("(?<=\\W)|(?=\\W)")) {
                    if (!w.isEmpty()) {
                        out.addAll(wordPieces(w));
                    }
                }
            }
            return out;
        }

        private List<String> wordPieces(String w) {
            List<String> out = new ArrayList<>();
            int start = 0;
            while (start < w.length()) {
                int end = w.length();
                String found = null;
                while (end > start) {
                    String piece = (start > 0 ? "##" : "") + w.substring(start, end);
                    if (ids.containsKey(piece)) {
                        found = piece;
                        break;
                    }
                    end--;
                }
                if (found == null) {
                    return List.of("[UNK]");
                }
                out.add(found);
                start = end;
            }
            return out;
        }

        private Encoding encoding(List<String> toks, boolean specials) {
            int n = toks.size();
            int[] idArr = new int[n];
            int[] starts = new int[n];
            int[] ends = new int[n];
            boolean[] special = new boolean[n];
            for (int i = 0; i < n; i++) {
                idArr[i] = ids.get(toks.get(i));
                special[i] = specials && (i == 0 || i == n - 1);
                starts[i] = special[i] ? -1 : i;
                ends[i] = special[i] ? -1 : i + 1;
            }
            return new Encoding(idArr, toks.toArray(new String[0]), starts, ends, special);
        }

        @Override
        public String decode(int[] idArr) {
            StringBuilder b = new StringBuilder();
            for (int id : idArr) {
                String t = vocab.get(id);
                if (t.startsWith("[") && t.endsWith("]") && !t.equals("[MASK]")) {
                    continue;
                }
                if (t.startsWith("##")) {
                    b.append(t.substring(2));
                } else {
                    if (b.length() > 0) {
                        b.append(' ');
                    }
                    b.append(t);
                }
            }
            return b.toString();
        }

        @Override
        public String token(int id) {
            return vocab.get(id);
        }

        @Override
        public OptionalInt id(String token) {
            Integer i = ids.get(token);
            return i == null ? OptionalInt.empty() : OptionalInt.of(i);
        }

        @Override
        public int vocabularySize() {
            return vocab.size();
        }

        @Override
        public String maskToken() {
            return "[MASK]";
        }

        @Override
        public int maskTokenId() {
            return ids.get("[MASK]");
        }
    }
}
