package org.unmask.corpus.lexicon;

import java.util.List;

/**
 * Plural forms of an occupation name, so that "nurses" counts as a mention of {@code nurse}.
 *
 * <p>Rules (regular English, applied to the last word of the lower-cased singular): {@code -man → -men}
 * (policeman → policemen), {@code -person → -people} and {@code -persons}, {@code -s/-x/-z/-ch/-sh → +es},
 * consonant + {@code y → -ies} (secretary → secretaries), otherwise {@code +s} (chief → chiefs, sheriff →
 * sheriffs). Irregular forms can be listed explicitly in a word-list file as {@code name|form|form}; then
 * no rule is applied.
 */
public final class Plurals {
    private Plurals() {}

    /** The regular plural forms of {@code singular} (never including the singular itself). */
    public static List<String> of(String singular) {
        String s = singular;
        if (s.endsWith("person")) {
            String stem = s.substring(0, s.length() - "person".length());
            return List.of(stem + "people", stem + "persons");
        }
        if (s.endsWith("man")) {
            return List.of(s.substring(0, s.length() - 3) + "men");
        }
        if (s.endsWith("s") || s.endsWith("x") || s.endsWith("z") || s.endsWith("ch") || s.endsWith("sh")) {
            return List.of(s + "es");
        }
        if (s.length() > 1 && s.endsWith("y") && "aeiou".indexOf(s.charAt(s.length() - 2)) < 0) {
            return List.of(s.substring(0, s.length() - 1) + "ies");
        }
        return List.of(s + "s");
    }
}
