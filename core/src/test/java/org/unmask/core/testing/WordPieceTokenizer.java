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
 * A small lower-casing BERT-style tokenizer for tests: splits on whitespace and punctuation, then greedy
 * longest-match word pieces ({@code ##} continuations) over a fixed vocabulary. Ids 0-4 are {@code [PAD] [UNK]
 * [CLS] [SEP] [MASK]}; the given words follow in order.
 */
public final class WordPieceTokenizer implements TextTokenizer {
    public static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    private final List<String> vocab = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    public WordPieceTokenizer(List<String> words) {
        for (String s : SPECIALS) {
            add(s);
        }
        for (String w : words) {
            add(w);
        }
    }

    private void add(String w) {
        if (!ids.containsKey(w)) {
            ids.put(w, vocab.size());
            vocab.add(w);
        }
    }

    public List<String> vocabulary() {
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

    private Encoding build(String text, boolean specials) {
        List<Integer> out = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        List<Boolean> special = new ArrayList<>();
        if (specials) {
            out.add(2);
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
                out.add(4);
                starts.add(i);
                ends.add(i + 6);
                special.add(false);
                i += 6;
            } else if (!Character.isLetterOrDigit(c)) {
                out.add(ids.getOrDefault(String.valueOf(c), 1));
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
            out.add(3);
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

    private void pieces(String word, int offset, List<Integer> out, List<Integer> starts, List<Integer> ends,
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
                found.add(new int[] {1, 0, word.length()});
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

    @Override
    public String decode(int[] idArr) {
        StringBuilder sb = new StringBuilder();
        for (int id : idArr) {
            String t = vocab.get(id);
            if (id < SPECIALS.size() && id != 4) {
                continue;
            }
            if (t.startsWith("##")) {
                sb.append(t.substring(2));
            } else if (t.length() == 1 && !Character.isLetterOrDigit(t.charAt(0)) || sb.length() == 0) {
                sb.append(t);
            } else {
                sb.append(' ').append(t);
            }
        }
        return sb.toString();
    }

    @Override
    public String token(int id) {
        return vocab.get(id);
    }

    @Override
    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
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
        return 4;
    }
}
