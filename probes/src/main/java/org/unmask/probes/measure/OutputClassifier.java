package org.unmask.probes.measure;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Labels a generated text {@code female}, {@code male}, {@code both} or {@code none} by the gender words it holds,
 * as Thaler et al. (2024) label model outputs. Unlike their released scripts, a word matches only as a whole token
 * (no letter or digit on either side, so "he" is not found in "the" or "hero", "her" not in "here"), case-folded
 * when written in lower case (sentence-initial "She" and all-caps "HE" count) but exact when written capitalised
 * (the title "Miss", not the verb "miss"), and with its punctuation kept ("Mr." and "Mrs." match, and "Mr." does
 * not match inside "Mrs."). Multi-word terms match as written, whitespace-insensitively.
 *
 * @param female matcher of the female words
 * @param male matcher of the male words
 */
public record OutputClassifier(Pattern female, Pattern male) {
    /** What a continuation mentions. */
    public enum Label {
        FEMALE,
        MALE,
        BOTH,
        NONE;

        /** The lower-case id used in outputs. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A classifier for two word lists (each at least one word). */
    public static OutputClassifier of(List<String> femaleWords, List<String> maleWords) {
        return new OutputClassifier(pattern(femaleWords), pattern(maleWords));
    }

    public Label label(String text) {
        boolean f = female.matcher(text).find();
        boolean m = male.matcher(text).find();
        return f ? (m ? Label.BOTH : Label.FEMALE) : (m ? Label.MALE : Label.NONE);
    }

    /**
     * One alternation, longest words first so that "Mrs." is tried before "Mr". Words written in lower case match in
     * any case; words written with a capital (titles: "Miss", "Mr.") match only with that capital, so the verb
     * "miss" is not a woman.
     */
    private static Pattern pattern(List<String> words) {
        String alternatives = words.stream()
                .map(String::strip)
                .filter(w -> !w.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(w -> (w.equals(w.toLowerCase(Locale.ROOT)) ? "(?iu:" : "(?-i:")
                        + Pattern.quote(w).replace(" ", "\\E\\s+\\Q") + ")")
                .collect(Collectors.joining("|"));
        return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])");
    }
}
