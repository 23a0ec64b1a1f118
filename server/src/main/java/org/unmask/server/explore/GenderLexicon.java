package org.unmask.server.explore;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unmask.core.lexicon.GenderPair;
import org.unmask.core.lexicon.Lexicons;

/**
 * Marks predicted words as gendered or neutral, from the built-in gender word pairs
 * ({@link Lexicons#genderPairs()}, the WinoBias swap list). A prediction is {@code male} or {@code female}
 * when its word (lower-cased, word-piece markers and surrounding punctuation removed) is in that list;
 * <em>anything else counts as neutral</em>, including punctuation and word pieces. This is a deliberate,
 * documented simplification: the list covers pronouns, kinship and title words, not every gendered
 * name or job title, so "neutral" means "not in the list".
 */
public final class GenderLexicon {
    /** What a word signals. */
    public enum Gender {
        MALE, FEMALE, NEUTRAL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, Gender> words = new HashMap<>();

    public GenderLexicon(List<GenderPair> pairs) {
        for (GenderPair p : pairs) {
            words.put(p.male().toLowerCase(Locale.ROOT), Gender.MALE);
            words.put(p.female().toLowerCase(Locale.ROOT), Gender.FEMALE);
        }
    }

    public static GenderLexicon builtIn() {
        return new GenderLexicon(Lexicons.genderPairs());
    }

    public Gender classify(String token) {
        String w = token.strip();
        if (w.startsWith("##")) {
            return Gender.NEUTRAL; // a word piece is not a word
        }
        // byte-level BPE and SentencePiece mark a leading space (before lower-casing: 'Ġ' lower-cases to 'ġ')
        if (w.startsWith("\u0120") || w.startsWith("\u2581")) {
            w = w.substring(1);
        }
        return words.getOrDefault(w.toLowerCase(Locale.ROOT), Gender.NEUTRAL);
    }
}
