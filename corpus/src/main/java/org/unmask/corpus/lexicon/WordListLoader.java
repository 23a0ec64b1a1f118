package org.unmask.corpus.lexicon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.lexicon.GenderPair;
import org.unmask.core.lexicon.Lexicons;
import org.unmask.core.lexicon.Occupation;

/**
 * Builds {@link WordLists} from the built-in lexicons of core or from user files.
 *
 * <p>Occupation file: UTF-8, one occupation per line, {@code name[<TAB>pct_female]}; {@code name} may be
 * {@code singular|form|form} to list forms explicitly (then no plural rule applies); {@code pct_female} is a
 * percentage in 0..100; an occupation or form listed twice, an empty form and a bad percentage are errors naming
 * {@code file:line}; blank lines and lines starting with {@code #} are ignored; a first line starting with {@code occupation} is a header (so core's
 * {@code occupations.tsv} format is accepted). Gender-word file: {@code male<TAB>female} per line (either cell may
 * be empty), header {@code male<TAB>female} optional.
 */
public final class WordListLoader {
    private WordListLoader() {}

    /** Core's occupations (with plural forms by {@link Plurals}) and gender word pairs. */
    public static WordLists builtIn() {
        List<OccupationTerm> occ = new ArrayList<>();
        for (Occupation o : Lexicons.occupations()) {
            occ.add(term(o.name(), o.pctFemale()));
        }
        List<String[]> pairs = new ArrayList<>();
        for (GenderPair p : Lexicons.genderPairs()) {
            pairs.add(new String[] {p.male(), p.female()});
        }
        return build(occ, pairs, "built-in (org/unmask/lexicons: occupations.tsv, gender-words.tsv)");
    }

    /** Loads either list from a file, falling back to the built-in list where a path is null. */
    public static WordLists load(Path occupations, Path genderWords) throws InvalidInputException {
        WordLists base = builtIn();
        List<OccupationTerm> occ = occupations == null ? base.occupations() : readOccupations(occupations);
        List<String[]> pairs = new ArrayList<>();
        if (genderWords == null) {
            for (GenderPair p : Lexicons.genderPairs()) {
                pairs.add(new String[] {p.male(), p.female()});
            }
        } else {
            pairs = readPairs(genderWords);
        }
        String src = (occupations == null ? "built-in occupations" : occupations.toString()) + ", "
                + (genderWords == null ? "built-in gender words" : genderWords.toString());
        try {
            return build(occ, pairs, src);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "word lists conflict: " + e.getMessage(),
                    "a word may belong to one occupation and to at most one gender");
        }
    }

    static OccupationTerm term(String spec, OptionalDouble pct) {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split("\\|");
        List<String> forms = new ArrayList<>(List.of(parts));
        if (parts.length == 1) {
            forms.addAll(Plurals.of(parts[0]));
        }
        return new OccupationTerm(parts[0], forms, pct);
    }

    private static WordLists build(List<OccupationTerm> occ, List<String[]> pairs, String source) {
        List<String> dropped = new ArrayList<>();
        List<OccupationTerm> usable = new ArrayList<>();
        for (OccupationTerm o : occ) {
            List<String> forms = new ArrayList<>();
            for (String f : o.forms()) {
                if (isToken(f)) {
                    forms.add(f);
                } else {
                    dropped.add("occupation form '" + f + "': not a single token of ASCII letters");
                }
            }
            if (!forms.isEmpty() && forms.get(0).equals(o.name())) {
                usable.add(new OccupationTerm(o.name(), forms, o.referencePctFemale()));
            } else {
                dropped.add("occupation '" + o.name() + "': not a single token of ASCII letters");
            }
        }
        Set<String> male = new LinkedHashSet<>();
        Set<String> female = new LinkedHashSet<>();
        for (String[] p : pairs) {
            add(p[0], male, "male", dropped);
            add(p[1], female, "female", dropped);
        }
        return new WordLists(usable, List.copyOf(male), List.copyOf(female), dropped, source);
    }

    private static void add(String raw, Set<String> into, String gender, List<String> dropped) {
        String w = raw.trim().toLowerCase(Locale.ROOT);
        if (w.isEmpty()) {
            return;
        }
        // "mr." / "mrs." are abbreviations: the token is the letters, the dot ends a sentence anyway
        String t = w.endsWith(".") ? w.substring(0, w.length() - 1) : w;
        if (isToken(t)) {
            into.add(t);
        } else {
            dropped.add(gender + " word '" + w + "': not a single token of ASCII letters");
        }
    }

    static boolean isToken(String w) {
        if (w.isEmpty()) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }

    private static List<OccupationTerm> readOccupations(Path file) throws InvalidInputException {
        List<OccupationTerm> out = new ArrayList<>();
        Map<String, Integer> formLine = new HashMap<>();
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#") || (i == 0 && line.startsWith("occupation"))) {
                continue;
            }
            String where = file + ":" + (i + 1);
            String[] cells = line.split("\t", -1);
            OccupationTerm t = term(checkedName(cells[0], where), percentage(cells, where));
            for (String f : t.forms()) {
                Integer earlier = formLine.putIfAbsent(f, i + 1);
                if (earlier != null) {
                    throw new InvalidInputException(
                            where + ": '" + f + "' is already listed on line " + earlier,
                            "list each occupation once, and each form under one occupation only");
                }
            }
            out.add(t);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(file + ": no occupations", "one occupation per line");
        }
        return out;
    }

    /** The name cell: {@code name} or {@code singular|form|...} without empty forms. */
    private static String checkedName(String cell, String where) throws InvalidInputException {
        String name = cell.trim();
        for (String form : name.split("\\|", -1)) {
            if (form.isBlank()) {
                throw new InvalidInputException(
                        where + ": empty occupation form in '" + cell + "'",
                        "write 'name' or 'singular|plural|...' with a word between every two '|'");
            }
        }
        return name;
    }

    /** The optional pct_female cell: a finite number in 0..100. */
    private static OptionalDouble percentage(String[] cells, String where) throws InvalidInputException {
        if (cells.length < 2 || cells[1].isBlank()) {
            return OptionalDouble.empty();
        }
        double pct;
        try {
            pct = Double.parseDouble(cells[1].trim());
        } catch (NumberFormatException e) {
            pct = Double.NaN;
        }
        if (!(pct >= 0 && pct <= 100)) { // also rejects NaN
            throw new InvalidInputException(
                    where + ": pct_female '" + cells[1] + "' is not a percentage in 0..100",
                    "write e.g. 'nurse<TAB>89.6' or leave the column empty");
        }
        return OptionalDouble.of(pct);
    }

    private static List<String[]> readPairs(Path file) throws InvalidInputException {
        List<String[]> out = new ArrayList<>();
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#") || (i == 0 && line.startsWith("male"))) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length != 2) {
                throw new InvalidInputException(
                        file + ":" + (i + 1) + ": expected 'male<TAB>female', got '" + line + "'",
                        "one pair per line separated by a tab; leave a cell empty for no pair");
            }
            out.add(cells);
        }
        return out;
    }

    private static List<String> readLines(Path file) throws InvalidInputException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read word list " + file + ": " + e.getMessage(),
                    "check the path and that the file is UTF-8 text");
        }
    }
}
