package org.unmask.benchmarks.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.TextTokenizer;

/**
 * A test tokenizer: lower-cased words and punctuation marks are tokens, ids are assigned on first sight;
 * {@code [CLS]=1 [SEP]=2 [MASK]=3}. Enough to test alignment and scoring logic without a real vocabulary.
 */
public final class WordTokenizer implements TextTokenizer {
    private final Map<String, Integer> vocab = new LinkedHashMap<>();
    private final List<String> byId = new ArrayList<>();

    public WordTokenizer() {
        for (String s : List.of("[PAD]", "[CLS]", "[SEP]", "[MASK]")) {
            idOf(s);
        }
    }

    private int idOf(String s) {
        return vocab.computeIfAbsent(s, k -> {
            byId.add(k);
            return byId.size() - 1;
        });
    }

    @Override
    public synchronized Encoding encode(String text) {
        Encoding inner = encodeWithoutSpecials(text);
        int n = inner.length() + 2;
        int[] ids = new int[n];
        String[] toks = new String[n];
        int[] st = new int[n];
        int[] en = new int[n];
        boolean[] sp = new boolean[n];
        ids[0] = 1;
        toks[0] = "[CLS]";
        st[0] = -1;
        en[0] = -1;
        sp[0] = true;
        for (int i = 0; i < inner.length(); i++) {
            ids[i + 1] = inner.ids()[i];
            toks[i + 1] = inner.tokens()[i];
            st[i + 1] = inner.starts()[i];
            en[i + 1] = inner.ends()[i];
        }
        ids[n - 1] = 2;
        toks[n - 1] = "[SEP]";
        st[n - 1] = -1;
        en[n - 1] = -1;
        sp[n - 1] = true;
        return new Encoding(ids, toks, st, en, sp);
    }

    @Override
    public synchronized Encoding encodeWithoutSpecials(String text) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("[MASK]", i)) {
                spans.add(new int[] {i, i + 6});
                i += 6;
            } else if (Character.isLetterOrDigit(c)) {
                int j = i;
                while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '\u00b7')) {
                    j++;
                }
                spans.add(new int[] {i, j});
                i = j;
            } else {
                spans.add(new int[] {i, i + 1});
                i++;
            }
        }
        int n = spans.size();
        int[] ids = new int[n];
        String[] toks = new String[n];
        int[] st = new int[n];
        int[] en = new int[n];
        for (int k = 0; k < n; k++) {
            String t = text.substring(spans.get(k)[0], spans.get(k)[1]);
            t = t.equals("[MASK]") ? t : t.toLowerCase();
            toks[k] = t;
            ids[k] = idOf(t);
            st[k] = spans.get(k)[0];
            en[k] = spans.get(k)[1];
        }
        return pieces(new Encoding(ids, toks, st, en, new boolean[n]));
    }

    /** Words written with a middle dot become word pieces: {@code un\u00b7ath} → {@code un ##ath}. */
    private Encoding pieces(Encoding e) {
        List<Integer> ids = new ArrayList<>();
        List<String> toks = new ArrayList<>();
        List<int[]> offs = new ArrayList<>();
        for (int k = 0; k < e.length(); k++) {
            String[] parts = e.tokens()[k].split("\u00b7");
            int off = e.starts()[k];
            for (int p = 0; p < parts.length; p++) {
                String t = p == 0 ? parts[p] : "##" + parts[p];
                toks.add(t);
                ids.add(idOf(t));
                offs.add(new int[] {off, off + parts[p].length()});
                off += parts[p].length() + 1;
            }
        }
        int n = ids.size();
        int[] st = new int[n];
        int[] en = new int[n];
        for (int k = 0; k < n; k++) {
            st[k] = offs.get(k)[0];
            en[k] = offs.get(k)[1];
        }
        return new Encoding(ids.stream().mapToInt(Integer::intValue).toArray(), toks.toArray(new String[0]), st, en,
                new boolean[n]);
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id <= 2) {
                continue;
            }
            String t = byId.get(id);
            if (t.startsWith("##")) {
                sb.append('\u00b7').append(t.substring(2));
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(t);
        }
        return sb.toString();
    }

    /** Whether {@code id} has been assigned. */
    public synchronized boolean knows(int id) {
        return id < byId.size();
    }

    /** Adds words to the vocabulary (so a scripted model can rank them). */
    public synchronized void learn(String... words) {
        for (String w : words) {
            idOf(w);
        }
    }

    @Override
    public String token(int id) {
        return byId.get(id);
    }

    @Override
    public OptionalInt id(String token) {
        Integer i = vocab.get(token);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    @Override
    public int vocabularySize() {
        return 10_000;
    }

    @Override
    public String maskToken() {
        return "[MASK]";
    }

    @Override
    public int maskTokenId() {
        return 3;
    }
}
