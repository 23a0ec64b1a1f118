package org.unmask.core.lexicon;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one gender lexicon: which words signal a gender. It is the built-in gender word pairs
 * ({@link Lexicons#genderPairs()}, the WinoBias swap list) plus the gendered words they lack
 * ({@code gender-words-extra.tsv}: waitress, maid, waiter, salesman…). The built-in audit suite marks its top-k
 * answers with exactly these words, and the explorer classifies predictions with them, so both call the same words
 * gendered. Anything else is neutral: "neutral" means "not in the lexicon", not "known to be neutral".
 */
public final class GenderedWords {
    /** What a word signals. */
    public enum Gender {
        MALE,
        FEMALE,
        NEUTRAL;

        /** Lower-case name, as shown to users and in JSON. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, Gender> words;

    /**
     * @param words lower-case word → gender; a word given as both male and female is a mistake
     */
    public GenderedWords(Map<String, Gender> words) {
        this.words = Collections.unmodifiableMap(new LinkedHashMap<>(words));
    }

    /** The built-in lexicon: the gender word pairs followed by the extra gendered words, in file order. */
    public static GenderedWords builtIn() {
        Map<String, Gender> words = new LinkedHashMap<>();
        for (GenderPair p : Lexicons.genderPairs()) {
            put(words, p.male(), Gender.MALE);
            put(words, p.female(), Gender.FEMALE);
        }
        for (String[] row : Lexicons.extraGenderWords()) {
            put(words, row[0], Gender.valueOf(row[1].toUpperCase(Locale.ROOT)));
        }
        return new GenderedWords(words);
    }

    private static void put(Map<String, Gender> words, String word, Gender gender) {
        Gender before = words.putIfAbsent(word.toLowerCase(Locale.ROOT), gender);
        if (before != null && before != gender) {
            throw new IllegalStateException("built-in lexicon lists " + word + " as both " + before + " and " + gender);
        }
    }

    /** The female words, each once, in lexicon order. */
    public Set<String> female() {
        return of(Gender.FEMALE);
    }

    /** The male words, each once, in lexicon order. */
    public Set<String> male() {
        return of(Gender.MALE);
    }

    private Set<String> of(Gender g) {
        Set<String> out = new LinkedHashSet<>();
        words.forEach((w, x) -> {
            if (x == g) {
                out.add(w);
            }
        });
        return Collections.unmodifiableSet(out);
    }

    /**
     * The gender a predicted token signals: its word lower-cased, with the leading-space marker of byte-level BPE
     * ({@code Ġ}) or SentencePiece ({@code ▁}) removed. A word piece ({@code ##…}) is not a word: neutral.
     */
    public Gender classify(String token) {
        String w = token.strip();
        if (w.startsWith("##")) {
            return Gender.NEUTRAL;
        }
        // before lower-casing: 'Ġ' lower-cases to 'ġ'
        if (w.startsWith("\u0120") || w.startsWith("\u2581")) {
            w = w.substring(1);
        }
        return words.getOrDefault(w.toLowerCase(Locale.ROOT), Gender.NEUTRAL);
    }
}
