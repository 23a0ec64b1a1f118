package org.unmask.mitigation.cda;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two-sided gender swapping of a text (counterfactual data augmentation, Lu et al. 2018; Zhao et al. 2018):
 * every gendered word of a {@link SwapLexicon} is replaced by its counterpart, in both directions at once.
 *
 * <p>Rules, each tested:
 * <ul>
 *   <li>Words are maximal runs of letters, so {@code manage} or {@code human} never match {@code man}; a hyphen
 *       separates words ({@code ex-husband} → {@code ex-wife}).</li>
 *   <li>Case follows the original: {@code He} → {@code She}, {@code HE} → {@code SHE}, {@code he} → {@code she}.</li>
 *   <li>Possessives and contractions keep their suffix: {@code man's} → {@code woman's}, {@code he's} →
 *       {@code she's}, {@code she'll} → {@code he'll}; curly apostrophes too. Entries that contain an apostrophe
 *       or end in a period ({@code ma'am}, {@code mr.}) are matched whole first.</li>
 *   <li>{@code her} is ambiguous: possessive determiner ({@code her car} → {@code his car}) or object pronoun
 *       ({@code saw her.} → {@code saw him.}). Without a tagger we look at the next word: if it is a letter word
 *       that is not a closed-class word (determiner, preposition, conjunction, pronoun, auxiliary, common adverb)
 *       or a number, {@code her} is read as a determiner and becomes {@code his}; otherwise (punctuation, end of
 *       text, closed-class word) it becomes {@code him}. Known miss: a bare noun after an object {@code her}
 *       ({@code gave her flowers} → {@code gave his flowers}).</li>
 *   <li>Likewise {@code his} becomes {@code hers} when no noun phrase follows ({@code the book is his.} →
 *       {@code the book is hers.}) and {@code her} otherwise; {@code hers} becomes {@code his}.</li>
 * </ul>
 * Names are not swapped (see {@link Anonymizer} for replacing them).
 */
public final class GenderSwapper {
    /** A word: letters, optionally joined by apostrophes (ma'am, he's, o'clock). */
    private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}\\p{M}]*(?:['\u2019]\\p{L}+)*");

    /** Closed-class words after which {@code her} is an object pronoun and {@code his} stands alone. */
    static final Set<String> FUNCTION_WORDS = Set.of(
            // determiners and quantifiers
            "the",
            "a",
            "an",
            "this",
            "that",
            "these",
            "those",
            "my",
            "your",
            "his",
            "her",
            "its",
            "our",
            "their",
            "some",
            "any",
            "no",
            "every",
            "each",
            "all",
            "both",
            "either",
            "neither",
            "another",
            "such",
            // prepositions and particles
            "to",
            "in",
            "on",
            "at",
            "for",
            "with",
            "from",
            "by",
            "of",
            "about",
            "into",
            "onto",
            "over",
            "under",
            "after",
            "before",
            "since",
            "until",
            "through",
            "during",
            "without",
            "within",
            "against",
            "among",
            "between",
            "behind",
            "beyond",
            "near",
            "off",
            "out",
            "up",
            "down",
            "around",
            "across",
            "along",
            "toward",
            "towards",
            "upon",
            "like",
            "as",
            "than",
            "away",
            "back",
            "home",
            // conjunctions
            "and",
            "or",
            "but",
            "nor",
            "so",
            "yet",
            "because",
            "if",
            "when",
            "while",
            "though",
            "although",
            "unless",
            "whether",
            "where",
            "why",
            "how",
            "then",
            // pronouns
            "i",
            "you",
            "he",
            "she",
            "it",
            "we",
            "they",
            "me",
            "him",
            "us",
            "them",
            "who",
            "whom",
            "whose",
            "which",
            "what",
            "myself",
            "yourself",
            "himself",
            "herself",
            "itself",
            "ourselves",
            "themselves",
            // auxiliaries and modals
            "is",
            "am",
            "are",
            "was",
            "were",
            "be",
            "been",
            "being",
            "do",
            "does",
            "did",
            "have",
            "has",
            "had",
            "will",
            "would",
            "shall",
            "should",
            "can",
            "could",
            "may",
            "might",
            "must",
            // common adverbs
            "not",
            "never",
            "again",
            "too",
            "also",
            "very",
            "just",
            "now",
            "there",
            "here",
            "yesterday",
            "today",
            "tonight",
            "tomorrow",
            "once",
            "twice",
            "well",
            "always",
            "often",
            "sometimes",
            "already",
            "soon",
            "later",
            "anyway",
            "instead",
            "enough");

    private final SwapLexicon lexicon;

    public GenderSwapper(SwapLexicon lexicon) {
        this.lexicon = lexicon;
    }

    public SwapLexicon lexicon() {
        return lexicon;
    }

    /** Swaps every gendered word of {@code text}. */
    public SwapResult swap(String text) {
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 16);
        int copied = 0;
        int swaps = 0;
        while (m.find()) {
            int start = m.start();
            int end = m.end();
            String word = m.group();
            Replacement r = replacement(text, word, end);
            if (r != null) {
                out.append(text, copied, start).append(r.text);
                copied = end + r.extraConsumed;
                swaps++;
            }
        }
        if (swaps == 0) {
            return new SwapResult(text, 0);
        }
        out.append(text, copied, text.length());
        return new SwapResult(out.toString(), swaps);
    }

    /** The replacement of a word found at {@code [.., end)}, or null if it stays. */
    private Replacement replacement(String text, String word, int end) {
        String lower = word.toLowerCase(Locale.ROOT);
        // entries written with a final period (mr./mrs.) consume it
        if (end < text.length() && text.charAt(end) == '.' && lexicon.contains(lower + ".")) {
            String to = lexicon.counterpart(lower + ".").orElseThrow();
            return new Replacement(matchCase(word + ".", to), 1);
        }
        Optional<String> whole = swapWord(lower, text, end);
        if (whole.isPresent()) {
            return new Replacement(matchCase(word, whole.get()), 0);
        }
        int apostrophe = firstApostrophe(word);
        if (apostrophe > 0) {
            String stem = word.substring(0, apostrophe);
            Optional<String> s = swapWord(stem.toLowerCase(Locale.ROOT), text, end);
            if (s.isPresent()) {
                return new Replacement(matchCase(stem, s.get()) + word.substring(apostrophe), 0);
            }
        }
        return null;
    }

    private Optional<String> swapWord(String lower, String text, int end) {
        switch (lower) {
            case "her":
                return Optional.of(nounPhraseFollows(text, end) ? "his" : "him");
            case "his":
                return Optional.of(nounPhraseFollows(text, end) ? "her" : "hers");
            case "hers":
                return Optional.of("his");
            default:
                return lexicon.counterpart(lower);
        }
    }

    /**
     * Whether the word after {@code end} looks like the start of a noun phrase: separated by spaces only and a
     * number or an open-class word.
     */
    static boolean nounPhraseFollows(String text, int end) {
        int i = end;
        if (i < text.length() && isApostrophe(text.charAt(i))) {
            return false; // "her's" and the like: treat as standing alone
        }
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == end || i >= text.length()) {
            return false;
        }
        char c = text.charAt(i);
        if (Character.isDigit(c)) {
            return true;
        }
        if (!Character.isLetter(c)) {
            return false;
        }
        int j = i;
        while (j < text.length() && (Character.isLetter(text.charAt(j)) || text.charAt(j) == '-')) {
            j++;
        }
        return !FUNCTION_WORDS.contains(text.substring(i, j).toLowerCase(Locale.ROOT));
    }

    /** Whether a lower-case word is closed-class (determiner, preposition, pronoun, auxiliary...). */
    public static boolean isFunctionWord(String lowerCaseWord) {
        return FUNCTION_WORDS.contains(lowerCaseWord);
    }

    /** Gives {@code to} the case pattern of {@code from}: lower, Capitalised or UPPER. */
    static String matchCase(String from, String to) {
        int letters = 0;
        int upper = 0;
        for (int i = 0; i < from.length(); i++) {
            char c = from.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
        }
        if (letters > 1 && upper == letters) {
            return to.toUpperCase(Locale.ROOT);
        }
        if (!from.isEmpty() && Character.isUpperCase(from.charAt(0))) {
            return to.substring(0, 1).toUpperCase(Locale.ROOT) + to.substring(1);
        }
        return to;
    }

    private static int firstApostrophe(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (isApostrophe(word.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isApostrophe(char c) {
        return c == '\'' || c == '\u2019';
    }

    private record Replacement(String text, int extraConsumed) {}
}
