package org.unmask.core.lexicon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The built-in word lists shipped in {@code org/unmask/lexicons/} (see the PROVENANCE.md there):
 * occupations with BLS % female (Winogender + WinoBias), gendered word pairs (WinoBias swap list, MIT) and the
 * gendered words those pairs lack.
 */
public final class Lexicons {
    private static final String BASE = "/org/unmask/lexicons/";

    private Lexicons() {}

    /** The 81 occupations of Winogender and WinoBias, with their % female. */
    public static List<Occupation> occupations() {
        List<Occupation> out = new ArrayList<>();
        for (String[] r : rows("occupations.tsv", 6)) {
            OptionalDouble pct = r[1].isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(r[1]));
            out.add(new Occupation(r[0], pct, r[2], r[3].equals("yes"), r[4].equals("yes")));
        }
        return List.copyOf(out);
    }

    /** Male/female word pairs; ambiguous female forms ({@code her}) appear once per male form. */
    public static List<GenderPair> genderPairs() {
        List<GenderPair> out = new ArrayList<>();
        for (String[] r : rows("gender-words.tsv", 2)) {
            out.add(new GenderPair(r[0], r[1]));
        }
        return List.copyOf(out);
    }

    /**
     * Gendered words the pairs lack (waitress, salesman…), as {word, gender} rows with gender {@code female} or
     * {@code male}; {@link GenderedWords#builtIn()} combines them with the pairs.
     */
    public static List<String[]> extraGenderWords() {
        return rows("gender-words-extra.tsv", 2);
    }

    /** The raw bytes of a lexicon file, for hashing into provenance. */
    public static byte[] bytes(String file) {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String[]> rows(String file, int columns) {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            r.readLine(); // header
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(line.split("\t", columns));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("built-in lexicon " + file + " unreadable", e);
        }
        return out;
    }

    private static InputStream open(String file) {
        InputStream in = Lexicons.class.getResourceAsStream(BASE + file);
        if (in == null) {
            throw new IllegalStateException("built-in lexicon " + file + " missing from the jar");
        }
        return in;
    }
}
