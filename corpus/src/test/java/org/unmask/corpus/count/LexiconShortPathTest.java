package org.unmask.corpus.count;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unmask.corpus.lexicon.OccupationTerm;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.lexicon.WordLists;

/** The scanner's one-load path for tokens of 1-7 letters answers exactly what the general lookup answers. */
class LexiconShortPathTest {
    private static long packed(byte[] t) {
        long v = 0;
        for (int i = t.length - 1; i >= 0; i--) {
            v = (v << 8) | ((t[i] | 0x20) & 0xff);
        }
        return v;
    }

    private static void assertSame(Lexicon lex, String token) {
        byte[] t = token.getBytes(StandardCharsets.US_ASCII);
        assertEquals(lex.lookup(t, 0, t.length), lex.lookupShort(packed(t)), token);
    }

    @Test
    void everyShortWordItsCaseVariantsAndItsNeighboursAgreeWithTheGeneralLookup() {
        WordLists words = WordListLoader.builtIn();
        Lexicon lex = new Lexicon(words);
        List<String> all = new ArrayList<>(words.male());
        all.addAll(words.female());
        for (OccupationTerm o : words.occupations()) {
            all.addAll(o.forms());
        }
        int found = 0;
        for (String w : all) {
            if (w.length() >= 8) {
                continue;
            }
            byte[] t = w.getBytes(StandardCharsets.US_ASCII);
            assertNotEquals(0, lex.lookupShort(packed(t)), w);
            found++;
            assertSame(lex, w.toUpperCase(Locale.ROOT));
            assertSame(lex, Character.toUpperCase(w.charAt(0)) + w.substring(1));
            assertSame(lex, w.substring(1)); // shorter and longer neighbours: mostly no words
            assertSame(lex, w.substring(0, w.length() - 1));
            if (w.length() < 7) {
                assertSame(lex, w + "s");
                assertSame(lex, "a" + w);
            }
        }
        assertNotEquals(0, found);
    }

    @Test
    void randomShortTokensAgreeWithTheGeneralLookup() {
        Lexicon lex = new Lexicon(WordListLoader.builtIn());
        Random r = new Random(11);
        String letters = "ehimnorsasheHEMRSW";
        for (int i = 0; i < 200_000; i++) {
            int n = 1 + r.nextInt(7);
            StringBuilder sb = new StringBuilder(n);
            for (int k = 0; k < n; k++) {
                sb.append(letters.charAt(r.nextInt(letters.length())));
            }
            assertSame(lex, sb.toString());
        }
    }
}
