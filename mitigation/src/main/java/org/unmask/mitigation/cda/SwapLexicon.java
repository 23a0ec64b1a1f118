package org.unmask.mitigation.cda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.unmask.core.lexicon.GenderPair;
import org.unmask.core.lexicon.Lexicons;

/**
 * A two-sided swap table built from male/female word pairs: every word maps to its counterpart, in lower case.
 *
 * <p>Where one word has several counterparts (female {@code lady} is the counterpart of {@code gentleman} and
 * {@code lord}) the pair listed first wins. The pronoun {@code her} is listed here too ({@code him}) but
 * {@link GenderSwapper} decides between {@code his} and {@code him} from context, see there.
 *
 * @see <a href="https://aclanthology.org/N18-2003/">Zhao et al. 2018 (WinoBias swap list)</a>
 */
public final class SwapLexicon {
    private static final String BOLUKBASI = "/org/unmask/mitigation/cda/bolukbasi2016-equalize-pairs.tsv";

    private final String name;
    private final String sha256;
    private final Map<String, String> swaps;
    private final int pairs;
    private final List<GenderPair> pairList;

    private SwapLexicon(String name, String sha256, List<GenderPair> pairList) {
        this.name = name;
        this.sha256 = sha256;
        this.pairs = pairList.size();
        this.pairList = List.copyOf(pairList);
        Map<String, String> m = new LinkedHashMap<>();
        for (GenderPair p : pairList) {
            String male = p.male().toLowerCase(Locale.ROOT).strip();
            String female = p.female().toLowerCase(Locale.ROOT).strip();
            if (male.isEmpty() || female.isEmpty() || male.equals(female)) {
                throw new IllegalArgumentException("bad swap pair " + p + " in " + name);
            }
            m.putIfAbsent(male, female);
            m.putIfAbsent(female, male);
        }
        this.swaps = Map.copyOf(m);
    }

    /** The 53 WinoBias pairs shipped in core ({@link Lexicons#genderPairs()}), MIT. */
    public static SwapLexicon winoBias() {
        return new SwapLexicon(
                "winobias-generalized-swaps", sha256(Lexicons.bytes("gender-words.tsv")), Lexicons.genderPairs());
    }

    /** WinoBias plus the 12 extra single-word pairs of Bolukbasi et al. 2016 (equalize pairs), both MIT. */
    public static SwapLexicon winoBiasAndBolukbasi() {
        byte[] extra = resource(BOLUKBASI);
        List<GenderPair> all = new ArrayList<>(Lexicons.genderPairs());
        all.addAll(parsePairs(extra));
        byte[] core = Lexicons.bytes("gender-words.tsv");
        byte[] both = new byte[core.length + extra.length];
        System.arraycopy(core, 0, both, 0, core.length);
        System.arraycopy(extra, 0, both, core.length, extra.length);
        return new SwapLexicon("winobias+bolukbasi2016-equalize", sha256(both), all);
    }

    /** A lexicon from explicit pairs (tests, user lists). */
    public static SwapLexicon of(String name, List<GenderPair> pairs) {
        StringBuilder sb = new StringBuilder();
        for (GenderPair p : pairs) {
            sb.append(p.male()).append('\t').append(p.female()).append('\n');
        }
        return new SwapLexicon(name, sha256(sb.toString().getBytes(StandardCharsets.UTF_8)), pairs);
    }

    /** The counterpart of a lower-case word, if it is gendered. */
    public Optional<String> counterpart(String lowerCaseWord) {
        return Optional.ofNullable(swaps.get(lowerCaseWord));
    }

    public boolean contains(String lowerCaseWord) {
        return swaps.containsKey(lowerCaseWord);
    }

    /** Name of the list(s), for provenance. */
    public String name() {
        return name;
    }

    /** SHA-256 of the list bytes, for provenance. */
    public String sha256() {
        return sha256;
    }

    /** The pairs in list order, as given (not lower-cased). */
    public List<GenderPair> pairs() {
        return pairList;
    }

    public int pairCount() {
        return pairs;
    }

    private static List<GenderPair> parsePairs(byte[] tsv) {
        List<GenderPair> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(new java.io.ByteArrayInputStream(tsv), StandardCharsets.UTF_8))) {
            r.readLine(); // header
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    String[] f = line.split("\t", 2);
                    out.add(new GenderPair(f[0], f[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static byte[] resource(String path) {
        try (InputStream in = SwapLexicon.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("built-in list " + path + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}
