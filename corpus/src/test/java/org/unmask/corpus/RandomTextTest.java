package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.Lexicon;
import org.unmask.corpus.count.OccStat;
import org.unmask.corpus.count.TextScanner;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.lexicon.WordLists;

/** Random texts built from lexicon words and byte-class edge cases: the scanner agrees with the regex reference. */
class RandomTextTest {
    private static final String[] PIECES = {
        "he",
        "She",
        "HER",
        "nurse",
        "Nurses",
        "doctor",
        "SECRETARIES",
        "man",
        "men",
        "the",
        "a",
        "policemen",
        "x",
        " ",
        " ",
        " ",
        ".",
        "!",
        "?",
        "\n",
        "\n \n",
        "\t",
        "@",
        "[",
        "`",
        "{",
        "Z",
        "z",
        "é",
        "\u2019",
        "—",
        "7",
        "'",
        "-",
        "abcdefghijklmnopqrstuvwxyz",
        "hehehehe"
    };

    @Test
    void agreesWithTheReferenceCounterWhateverTheChunking() {
        WordLists words = WordListLoader.builtIn();
        Random r = new Random(7);
        for (int doc = 0; doc < 300; doc++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(200);
            for (int i = 0; i < n; i++) {
                sb.append(PIECES[r.nextInt(PIECES.length)]);
            }
            String text = sb.toString();
            ReferenceCounter ref = new ReferenceCounter(words, 4);
            ref.document(text);
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            for (int chunk : new int[] {b.length + 1, 5, 9, 16, 33}) {
                Counts c = new Counts(words.occupations().size());
                TextScanner s = new TextScanner(new Lexicon(words), 4, c);
                for (int i = 0; i < b.length; i += chunk) {
                    s.feed(b, i, Math.min(chunk, b.length - i));
                }
                s.endDocument();
                for (Total t : new Total[] {
                    Total.TOKENS,
                    Total.SENTENCES,
                    Total.MALE_TOKENS,
                    Total.FEMALE_TOKENS,
                    Total.SENTENCES_BOTH,
                    Total.SENTENCES_MALE_ONLY,
                    Total.CONTEXT_TOKENS_MALE,
                    Total.CONTEXT_TOKENS_FEMALE,
                    Total.DOCUMENTS_BOTH
                }) {
                    assertEquals(ref.c.total(t), c.total(t), t + " doc " + doc + " chunk " + chunk + ": " + text);
                }
                for (int o = 0; o < words.occupations().size(); o++) {
                    for (OccStat st : OccStat.values()) {
                        assertEquals(
                                ref.c.get(o, st),
                                c.get(o, st),
                                st + " " + words.occupations().get(o).name());
                    }
                }
            }
        }
    }
}
