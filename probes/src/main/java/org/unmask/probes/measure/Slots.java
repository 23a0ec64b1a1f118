package org.unmask.probes.measure;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills template slots the way a writer would: the indefinite article before a slot agrees with the word that
 * goes in ("a nurse", "an engineer"), and a word that starts a sentence is capitalised (which matters for cased
 * models only). The article rule is the spelling rule (vowel letter → "an"); it misses "an hour"/"a university",
 * which occupation and adjective lists rarely contain.
 */
public final class Slots {
    private static final Pattern ARTICLE_BEFORE = Pattern.compile("(?<![\\p{L}])([Aa]n?)(\\s+)$");
    private static final Pattern SENTENCE_START = Pattern.compile("(^|[.!?][\"')\\]]*\\s+)$");

    private Slots() {}

    /** Replaces {@code slot} with {@code word}, fixing the article and capitalisation. */
    public static String fill(String text, String slot, String word) {
        return put(text, slot, word, word, true);
    }

    /**
     * Replaces {@code slot} with {@code replacement} (e.g. {@code [MASK]}) but makes the preceding article agree
     * with {@code articleWord}, the word the replacement stands for.
     */
    public static String put(String text, String slot, String replacement, String articleWord, boolean capitalise) {
        int i = text.indexOf(slot);
        if (i < 0) {
            return text;
        }
        String before = text.substring(0, i);
        String after = text.substring(i + slot.length());
        Matcher m = ARTICLE_BEFORE.matcher(before);
        if (m.find()) {
            String art = article(articleWord);
            if (Character.isUpperCase(m.group(1).charAt(0))) {
                art = Character.toUpperCase(art.charAt(0)) + art.substring(1);
            }
            before = before.substring(0, m.start()) + art + m.group(2);
        }
        String r = capitalise && startsSentence(before) ? capitalised(replacement) : replacement;
        return before + r + after;
    }

    /** Whether text placed after {@code before} starts a sentence. */
    public static boolean startsSentence(String before) {
        return SENTENCE_START.matcher(before).find();
    }

    /** Whether the slot starts a sentence in {@code text}. */
    public static boolean slotStartsSentence(String text, String slot) {
        int i = text.indexOf(slot);
        return i >= 0 && startsSentence(text.substring(0, i));
    }

    static String article(String word) {
        return !word.isEmpty() && "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
    }

    /** The word with its first letter upper-cased. */
    public static String capitalised(String word) {
        return word.isEmpty() || word.startsWith("[")
                ? word
                : word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }
}
