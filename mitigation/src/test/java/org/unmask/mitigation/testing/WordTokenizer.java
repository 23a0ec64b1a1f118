package org.unmask.mitigation.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.TextTokenizer;

/** A whitespace tokenizer over a fixed word list, with BERT-style specials; for unit tests of pure logic. */
public final class WordTokenizer implements TextTokenizer {
    public static final int PAD = 0;
    public static final int CLS = 1;
    public static final int SEP = 2;
    public static final int MASK = 3;
    private final List<String> vocab;

    public WordTokenizer(String... words) {
        vocab = new ArrayList<>(List.of("[PAD]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(Arrays.asList(words));
    }

    @Override
    public Encoding encode(String text) {
        Encoding e = encodeWithoutSpecials(text);
        int n = e.length() + 2;
        int[] ids = new int[n];
        String[] toks = new String[n];
        int[] s = new int[n];
        int[] en = new int[n];
        boolean[] sp = new boolean[n];
        ids[0] = CLS;
        toks[0] = "[CLS]";
        s[0] = -1;
        en[0] = -1;
        sp[0] = true;
        for (int i = 0; i < e.length(); i++) {
            ids[i + 1] = e.ids()[i];
            toks[i + 1] = e.tokens()[i];
            s[i + 1] = e.starts()[i];
            en[i + 1] = e.ends()[i];
        }
        ids[n - 1] = SEP;
        toks[n - 1] = "[SEP]";
        s[n - 1] = -1;
        en[n - 1] = -1;
        sp[n - 1] = true;
        return new Encoding(ids, toks, s, en, sp);
    }

    @Override
    public Encoding encodeWithoutSpecials(String text) {
        List<Integer> ids = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            int j = i;
            while (j < text.length() && text.charAt(j) != ' ') {
                j++;
            }
            if (j > i) {
                String w = text.substring(i, j);
                int id = vocab.indexOf(w.equals("[MASK]") ? w : w.toLowerCase(java.util.Locale.ROOT));
                if (id < 0) {
                    throw new IllegalArgumentException("word not in test vocabulary: " + w);
                }
                ids.add(id);
                spans.add(new int[] {i, j});
            }
            i = j;
        }
        int n = ids.size();
        int[] a = new int[n];
        String[] t = new String[n];
        int[] s = new int[n];
        int[] e = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = ids.get(k);
            t[k] = vocab.get(a[k]);
            s[k] = spans.get(k)[0];
            e[k] = spans.get(k)[1];
        }
        return new Encoding(a, t, s, e, new boolean[n]);
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id > MASK || id == MASK) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(vocab.get(id));
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
        int i = vocab.indexOf(token);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
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
        return MASK;
    }
}
