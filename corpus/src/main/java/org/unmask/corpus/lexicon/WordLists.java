package org.unmask.corpus.lexicon;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The words a corpus run counts: occupations (with their plural forms) and male and female words.
 *
 * <p>Every word is lower case and made of ASCII letters only, because the tokenizer's tokens are maximal runs
 * of ASCII letters (see {@code TextScanner}); entries that cannot be such a token (e.g. {@code ma'am}) are listed
 * in {@link #dropped()} instead of silently never matching. {@link #sha256()} hashes a canonical listing of
 * the content, so two runs with equal lists have equal hashes whatever file they came from.
 *
 * @param occupations the occupations, in output order
 * @param male the male words
 * @param female the female words
 * @param dropped source entries that were not usable, each with the reason
 * @param source where the lists came from (e.g. {@code built-in} or file paths)
 */
public record WordLists(
        List<OccupationTerm> occupations, List<String> male, List<String> female, List<String> dropped, String source) {

    public WordLists {
        occupations = List.copyOf(occupations);
        male = List.copyOf(male);
        female = List.copyOf(female);
        dropped = List.copyOf(dropped);
        checkDisjoint(occupations, male, female);
    }

    private static void checkDisjoint(List<OccupationTerm> occupations, List<String> male, List<String> female) {
        for (String w : male) {
            checkToken(w);
        }
        for (String w : female) {
            checkToken(w);
        }
        Map<String, String> owner = new HashMap<>();
        for (OccupationTerm o : occupations) {
            for (String f : o.forms()) {
                checkToken(f);
                String prev = owner.putIfAbsent(f, o.name());
                if (prev != null && !prev.equals(o.name())) {
                    throw new IllegalArgumentException(
                            "word '" + f + "' belongs to occupations '" + prev + "' and '" + o.name() + "'");
                }
            }
        }
        for (String m : male) {
            if (female.contains(m)) {
                throw new IllegalArgumentException("word '" + m + "' is listed as both male and female");
            }
        }
    }

    private static void checkToken(String w) {
        if (!WordListLoader.isToken(w)) {
            throw new IllegalArgumentException("'" + w + "' is not a lower-case token of ASCII letters");
        }
    }

    /** SHA-256 (hex) of the canonical content: occupations with forms and reference %, then gender words. */
    public String sha256() {
        StringBuilder sb = new StringBuilder();
        for (OccupationTerm o : occupations) {
            OptionalDouble p = o.referencePctFemale();
            sb.append("occ\t")
                    .append(String.join("|", o.forms()))
                    .append('\t')
                    .append(p.isPresent() ? Double.toString(p.getAsDouble()) : "")
                    .append('\n');
        }
        male.forEach(w -> sb.append("m\t").append(w).append('\n'));
        female.forEach(w -> sb.append("f\t").append(w).append('\n'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    /** Index of an occupation by canonical name, or -1. */
    public int indexOf(String occupation) {
        for (int i = 0; i < occupations.size(); i++) {
            if (occupations.get(i).name().equals(occupation)) {
                return i;
            }
        }
        return -1;
    }
}
