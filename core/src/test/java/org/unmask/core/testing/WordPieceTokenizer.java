package org.unmask.core.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.TextTokenizer;

/**
 * The one test tokenizer of every module: a small lower-casing BERT-style tokenizer that splits on whitespace and
 * punctuation, then takes greedy longest-match word pieces ({@code ##} continuations) over its vocabulary. Ids 0-4
 * are {@code [PAD] [UNK] [CLS] [SEP] [MASK]}; the given words follow in order.
 *
 * <p>A {@link #growing} tokenizer also learns every word it cannot split into known pieces on first sight, so tests of
 * data-driven scorers (benchmarks) need not list the vocabulary of their fixtures; seeding it with pieces such as
 * {@code du} and {@code ##mb} still makes {@code dumb} a two-piece word. Thread-safe.
 */
public final class WordPieceTokenizer implements TextTokenizer {
    public static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    private static final int UNK = 1;
    private static final int CLS = 2;
    private static final int SEP = 3;
    private static final int MASK = 4;
    private final List<String> vocab = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final boolean growing;

    /** A fixed vocabulary of the specials and {@code words}; unknown words become {@code [UNK]}. */
    public WordPieceTokenizer(List<String> words) {
        this(words, false);
    }

    private WordPieceTokenizer(List<String> words, boolean growing) {
        this.growing = growing;
        for (String s : SPECIALS) {
            add(s);
        }
        for (String w : words) {
            add(w);
        }
    }

    /** A vocabulary that starts with the specials and {@code seeds} and learns unknown words as it meets them. */
    public static WordPieceTokenizer growing(String... seeds) {
        return new WordPieceTokenizer(List.of(seeds), true);
    }

    /** Adds words to the vocabulary (so a scripted model can rank words no input contains). */
    public synchronized void learn(String... words) {
        for (String w : words) {
            add(w);
        }
    }

    private int add(String w) {
        Integer id = ids.get(w);
        if (id != null) {
            return id;
        }
        ids.put(w, vocab.size());
        vocab.add(w);
        return vocab.size() - 1;
    }

    public synchronized List<String> vocabulary() {
        return List.copyOf(vocab);
    }

    @Override
    public Encoding encode(String text) {
        return build(text, true);
    }

    @Override
    public Encoding encodeWithoutSpecials(String text) {
        return build(text, false);
    }

    private synchronized Encoding build(String text, boolean specials) {
        List<Integer> out = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        List<Boolean> special = new ArrayList<>();
        if (specials) {
            out.add(CLS);
            starts.add(-1);
            ends.add(-1);
            special.add(true);
        }
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("[MASK]", i)) {
                out.add(MASK);
                starts.add(i);
                ends.add(i + 6);
                special.add(false);
                i += 6;
            } else if (!Character.isLetterOrDigit(c)) {
                String mark = String.valueOf(c);
                out.add(growing ? add(mark) : ids.getOrDefault(mark, UNK));
                starts.add(i);
                ends.add(i + 1);
                special.add(false);
                i++;
            } else {
                int j = i;
                while (j < text.length() && Character.isLetterOrDigit(text.charAt(j))) {
                    j++;
                }
                pieces(text.substring(i, j).toLowerCase(Locale.ROOT), i, out, starts, ends, special);
                i = j;
            }
        }
        if (specials) {
            out.add(SEP);
            starts.add(-1);
            ends.add(-1);
            special.add(true);
        }
        int n = out.size();
        int[] idArr = new int[n];
        String[] tok = new String[n];
        int[] s = new int[n];
        int[] e = new int[n];
        boolean[] sp = new boolean[n];
        for (int k = 0; k < n; k++) {
            idArr[k] = out.get(k);
            tok[k] = vocab.get(idArr[k]);
            s[k] = starts.get(k);
            e[k] = ends.get(k);
            sp[k] = special.get(k);
        }
        return new Encoding(idArr, tok, s, e, sp);
    }

    private void pieces(
            String word,
            int offset,
            List<Integer> out,
            List<Integer> starts,
            List<Integer> ends,
            List<Boolean> special) {
        int from = 0;
        List<int[]> found = new ArrayList<>();
        while (from < word.length()) {
            int to = word.length();
            Integer id = null;
            while (to > from) {
                String piece = (from == 0 ? "" : "##") + word.substring(from, to);
                id = ids.get(piece);
                if (id != null) {
                    break;
                }
                to--;
            }
            if (id == null) {
                found.clear();
                found.add(new int[] {growing ? add(word) : UNK, 0, word.length()});
                break;
            }
            found.add(new int[] {id, from, to});
            from = to;
        }
        for (int[] f : found) {
            out.add(f[0]);
            starts.add(offset + f[1]);
            ends.add(offset + f[2]);
            special.add(false);
        }
    }

    /** Joins the tokens with spaces and glues {@code ##} pieces on, as BERT's decode without clean-up. */
    @Override
    public synchronized String decode(int[] idArr) {
        StringBuilder sb = new StringBuilder();
        for (int id : idArr) {
            String t = vocab.get(id);
            if (id < SPECIALS.size() && id != MASK) {
                continue;
            }
            if (t.startsWith("##")) {
                sb.append(t.substring(2));
            } else {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(t);
            }
        }
        return sb.toString();
    }

    @Override
    public synchronized String token(int id) {
        return vocab.get(id);
    }

    @Override
    public synchronized OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public synchronized int vocabularySize() {
        return vocab.size();
    }

    @Override
    public String maskToken() {
        return "[MASK]";
    }

    @Override
    public int maskTokenId() {
        return MASK;
    }
}
