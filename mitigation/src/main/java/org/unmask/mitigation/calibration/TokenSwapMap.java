package org.unmask.mitigation.calibration;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.unmask.core.lexicon.GenderPair;
import org.unmask.core.model.TextTokenizer;
import org.unmask.mitigation.cda.SwapLexicon;

/**
 * Gender swapping at the level of vocabulary ids, for pairs whose words are single tokens of a model (in the
 * spellings {@code he}, {@code He}, {@code HE}, and with a leading {@code Ġ}/{@code ▁} for byte-level and
 * SentencePiece vocabularies). Words that split into several pieces are not swapped.
 *
 * <p>Two maps: {@link #inputSwap} rewrites input ids ({@code her} → {@code his} before an open-class token, else
 * {@code him}, as in {@link org.unmask.mitigation.cda.GenderSwapper}); {@link #outputPermutation} is a true
 * permutation of the vocabulary used to read the swapped run's distribution, built from one-to-one pairs only
 * ({@code his}↔{@code her}; {@code him} and {@code hers} have no distinct single counterpart there and map to
 * themselves).
 */
public final class TokenSwapMap {
    private static final String[] PREFIXES = {"", "\u0120", "\u2581"};

    private final TextTokenizer tokenizer;
    private final Map<Integer, Integer> input = new HashMap<>();
    private final Map<Integer, Integer> permutation = new HashMap<>();
    private final Map<Integer, int[]> herChoices = new HashMap<>(); // her id -> {his id, him id}

    public TokenSwapMap(TextTokenizer tokenizer, SwapLexicon lexicon) {
        this.tokenizer = tokenizer;
        // his<->her first, so the permutation pairs them and not him/her
        addPermutation("his", "her");
        for (GenderPair p : lexicon.pairs()) {
            String m = p.male().toLowerCase(Locale.ROOT);
            String f = p.female().toLowerCase(Locale.ROOT);
            forEachSpelling(m, f, (a, b) -> {
                input.putIfAbsent(a, b);
                input.putIfAbsent(b, a);
            });
            addPermutation(m, f);
        }
        forEachSpelling("her", "his", (her, his) -> {
            OptionalInt him = idOfSameSpelling(tokenizer.token(her), "him");
            herChoices.put(her, new int[] {his, him.orElse(his)});
        });
    }

    /** The ids with gendered tokens swapped; {@code her} decided by the following token. */
    public int[] inputSwap(int[] ids) {
        int[] out = ids.clone();
        for (int i = 0; i < ids.length; i++) {
            int[] her = herChoices.get(ids[i]);
            if (her != null) {
                out[i] = nextIsOpenClass(ids, i + 1) ? her[0] : her[1];
            } else {
                out[i] = input.getOrDefault(ids[i], ids[i]);
            }
        }
        return out;
    }

    /** The counterpart id under the output permutation (itself when not gendered). */
    public int outputPermutation(int id) {
        return permutation.getOrDefault(id, id);
    }

    /** Number of ids the input swap changes. */
    public int inputSize() {
        return input.size() + herChoices.size();
    }

    private boolean nextIsOpenClass(int[] ids, int i) {
        if (i >= ids.length) {
            return false;
        }
        if (ids[i] == tokenizer.maskTokenId()) {
            return true;
        }
        String t = bare(tokenizer.token(ids[i]));
        if (t.isEmpty() || !Character.isLetterOrDigit(t.charAt(0)) || t.startsWith("[") || t.startsWith("<")) {
            return false;
        }
        return !org.unmask.mitigation.cda.GenderSwapper.isFunctionWord(t.toLowerCase(Locale.ROOT));
    }

    private static String bare(String token) {
        String t = token;
        for (String p : PREFIXES) {
            if (!p.isEmpty() && t.startsWith(p)) {
                t = t.substring(p.length());
            }
        }
        return t.startsWith("##") ? "" : t;
    }

    private void addPermutation(String m, String f) {
        forEachSpelling(m, f, (a, b) -> {
            if (!permutation.containsKey(a) && !permutation.containsKey(b)) {
                permutation.put(a, b);
                permutation.put(b, a);
            }
        });
    }

    private OptionalInt idOfSameSpelling(String tokenOfHer, String word) {
        for (String p : PREFIXES) {
            for (String w : spellings(word)) {
                for (String h : spellings("her")) {
                    if (tokenOfHer.equals(p + h) && sameCase(h, w)) {
                        return tokenizer.id(p + w);
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    private static boolean sameCase(String a, String b) {
        return Character.isUpperCase(a.charAt(0)) == Character.isUpperCase(b.charAt(0))
                && Character.isUpperCase(a.charAt(a.length() - 1)) == Character.isUpperCase(b.charAt(b.length() - 1));
    }

    private void forEachSpelling(String a, String b, java.util.function.BiConsumer<Integer, Integer> f) {
        String[] sa = spellings(a);
        String[] sb = spellings(b);
        for (String p : PREFIXES) {
            for (int i = 0; i < sa.length; i++) {
                OptionalInt ia = tokenizer.id(p + sa[i]);
                OptionalInt ib = tokenizer.id(p + sb[i]);
                if (ia.isPresent() && ib.isPresent() && ia.getAsInt() != ib.getAsInt()) {
                    f.accept(ia.getAsInt(), ib.getAsInt());
                }
            }
        }
    }

    private static String[] spellings(String w) {
        return new String[] {w, Character.toUpperCase(w.charAt(0)) + w.substring(1), w.toUpperCase(Locale.ROOT)};
    }
}
