package org.unmask.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.OccStat;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.lexicon.WordLists;

/**
 * An independent, deliberately simple counter for tests: Jackson tree parsing, Java regexes for sentences and
 * tokens, Java collections, and a quadratic window scan. Shares nothing with the engine except the word lists.
 */
final class ReferenceCounter {
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]|\\n[ \\t\\r\\f\\u000B]*\\n");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]+");

    private final WordLists words;
    private final int k;
    private final Map<String, Integer> occ = new HashMap<>();
    final Counts c;

    ReferenceCounter(WordLists words, int k) {
        this.words = words;
        this.k = k;
        for (int i = 0; i < words.occupations().size(); i++) {
            for (String f : words.occupations().get(i).forms()) {
                occ.put(f, i);
            }
        }
        c = new Counts(words.occupations().size());
    }

    void countGzipJsonl(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                c.addTotal(Total.LINES, 1);
                c.addTotal(Total.INPUT_BYTES, line.getBytes(StandardCharsets.UTF_8).length + 1);
                JsonNode n = m.readTree(line);
                document(n.get("text").asText());
            }
        }
    }

    private int gender(String t) {
        return words.male().contains(t) ? 1 : words.female().contains(t) ? 2 : 0;
    }

    void document(String text) {
        c.addTotal(Total.DOCUMENTS, 1);
        c.addTotal(Total.TEXT_BYTES, text.getBytes(StandardCharsets.UTF_8).length);
        List<String> all = new ArrayList<>();
        Set<Integer> docOcc = new TreeSet<>();
        int docGender = 0;
        for (String sentence : SENTENCE_END.split(text, -1)) {
            List<String> toks = new ArrayList<>();
            Matcher mt = TOKEN.matcher(sentence);
            while (mt.find()) {
                toks.add(mt.group().toLowerCase(Locale.ROOT));
            }
            if (toks.isEmpty()) {
                continue;
            }
            all.addAll(toks);
            c.addTotal(Total.SENTENCES, 1);
            c.addTotal(Total.TOKENS, toks.size());
            int g = 0;
            Set<Integer> sentOcc = new TreeSet<>();
            for (String t : toks) {
                g |= gender(t);
                if (gender(t) == 1) {
                    c.addTotal(Total.MALE_TOKENS, 1);
                } else if (gender(t) == 2) {
                    c.addTotal(Total.FEMALE_TOKENS, 1);
                }
                if (occ.containsKey(t)) {
                    sentOcc.add(occ.get(t));
                    c.set(occ.get(t), OccStat.MENTIONS, c.get(occ.get(t), OccStat.MENTIONS) + 1);
                }
            }
            docGender |= g;
            docOcc.addAll(sentOcc);
            if (g == 1) {
                c.addTotal(Total.SENTENCES_MALE_ONLY, 1);
            } else if (g == 2) {
                c.addTotal(Total.SENTENCES_FEMALE_ONLY, 1);
            } else if (g == 3) {
                c.addTotal(Total.SENTENCES_BOTH, 1);
            }
            for (int o : sentOcc) {
                bump(o, OccStat.SENT_TOTAL, g);
            }
        }
        if (docGender == 1) {
            c.addTotal(Total.DOCUMENTS_MALE_ONLY, 1);
        } else if (docGender == 2) {
            c.addTotal(Total.DOCUMENTS_FEMALE_ONLY, 1);
        } else if (docGender == 3) {
            c.addTotal(Total.DOCUMENTS_BOTH, 1);
        }
        for (int o : docOcc) {
            bump(o, OccStat.DOC_TOTAL, docGender);
        }
        windows(all);
    }

    private void windows(List<String> t) {
        int n = t.size();
        for (int p = 0; p < n; p++) {
            int g = gender(t.get(p));
            if (g != 0) {
                long ctx = Math.min(k, p) + Math.min(k, n - 1 - p);
                c.addTotal(g == 1 ? Total.CONTEXT_TOKENS_MALE : Total.CONTEXT_TOKENS_FEMALE, ctx);
            }
            Integer o = occ.get(t.get(p));
            if (o == null) {
                continue;
            }
            int m = 0;
            int f = 0;
            for (int q = Math.max(0, p - k); q <= Math.min(n - 1, p + k); q++) {
                if (q != p) {
                    int gq = gender(t.get(q));
                    m += gq == 1 ? 1 : 0;
                    f += gq == 2 ? 1 : 0;
                }
            }
            int wg = (m > 0 ? 1 : 0) | (f > 0 ? 2 : 0);
            if (wg == 1) {
                inc(o, OccStat.WIN_MALE_ONLY, 1);
            } else if (wg == 2) {
                inc(o, OccStat.WIN_FEMALE_ONLY, 1);
            } else if (wg == 3) {
                inc(o, OccStat.WIN_BOTH, 1);
            }
            inc(o, OccStat.WIN_PAIRS_MALE, m);
            inc(o, OccStat.WIN_PAIRS_FEMALE, f);
        }
    }

    private void bump(int o, OccStat total, int g) {
        inc(o, total, 1);
        if (g != 0) {
            inc(o, OccStat.values()[total.ordinal() + g], 1);
        }
    }

    private void inc(int o, OccStat s, long v) {
        c.set(o, s, c.get(o, s) + v);
    }
}
