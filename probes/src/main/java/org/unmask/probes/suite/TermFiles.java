package org.unmask.probes.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.lexicon.GenderPair;
import org.unmask.core.lexicon.Lexicons;
import org.unmask.core.lexicon.Occupation;

/**
 * Reads term lists that live outside the suite: built-in lexicons ({@code lexicon: occupations},
 * {@code lexicon: gender-words}) and user files relative to the suite ({@code .txt} one term per line, or
 * {@code .tsv}/{@code .csv} with a header). Records the SHA-256 of everything read for provenance.
 *
 * <p>A user file must be a regular file of at most {@link SuiteLoader#MAX_TERM_FILE_BYTES} of UTF-8 text, inside the
 * suite's folder after resolving symbolic links unless the user allowed {@link SuiteLoader.TermFileScope#ANYWHERE}:
 * a suite someone else wrote must not copy {@code /etc/passwd} into a report, nor read {@code /dev/zero} forever.
 */
final class TermFiles {
    private static final List<String> OCCUPATION_COLUMNS =
            List.of("occupation", "pct_female", "pct_female_source", "winogender", "winobias", "winobias_group");
    private static final List<String> GENDER_COLUMNS = List.of("male", "female");

    private final String source;
    private final Path baseDir;
    private final SuiteLoader.TermFileScope scope;
    private final Map<String, String> files;

    TermFiles(String source, Path baseDir, SuiteLoader.TermFileScope scope, Map<String, String> files) {
        this.source = source;
        this.baseDir = baseDir;
        this.scope = scope;
        this.files = files;
    }

    TermList read(String name, YamlNode.Mapping spec) throws InvalidInputException {
        YamlNode lexicon = spec.fields().get("lexicon");
        YamlNode file = spec.fields().get("file");
        if ((lexicon == null) == (file == null)) {
            throw error(
                    spec.line(),
                    "term list '" + name + "' needs exactly one of 'file:' or 'lexicon:'",
                    "e.g. {file: religions.txt} or {lexicon: occupations, stat: pct_female}");
        }
        String column = text(spec, "column");
        String stat = text(spec, "stat");
        TermList read = lexicon != null
                ? lexicon(name, spec, text(spec, "lexicon"), column, stat)
                : file(name, spec, text(spec, "file"), column, stat);
        return withAdded(read, spec);
    }

    /** Appends the inline {@code add:} terms (words a lexicon lacks, e.g. waitress); they carry no statistic. */
    private TermList withAdded(TermList list, YamlNode.Mapping spec) throws InvalidInputException {
        YamlNode add = spec.fields().get("add");
        if (add == null) {
            return list;
        }
        if (list.statName() != null) {
            throw error(
                    spec.keyLines().get("add"),
                    "term list '" + list.name() + "' has a statistic (" + list.statName()
                            + "), so terms cannot be added without one",
                    "put them in the file instead");
        }
        if (!(add instanceof YamlNode.Seq seq)) {
            throw error(add.line(), "'add' must be a list of terms", "e.g. add: [waitress, maid]");
        }
        List<Term> terms = new ArrayList<>(list.terms());
        Set<String> seen = new HashSet<>(list.texts());
        for (YamlNode item : seq.items()) {
            if (!(item instanceof YamlNode.Scalar sc) || sc.text() == null) {
                throw error(item.line(), "an entry of 'add' must be a single term", "");
            }
            String t = sc.text().strip();
            checkTerm(seen, t, list.name(), source + ":" + item.line());
            terms.add(new Term(t, Double.NaN));
        }
        return new TermList(list.name(), terms, null, list.source() + " + inline");
    }

    private TermList lexicon(String name, YamlNode.Mapping spec, String lex, String column, String stat)
            throws InvalidInputException {
        List<List<String>> rows = new ArrayList<>();
        List<String> header;
        if (lex.equals("occupations")) {
            header = OCCUPATION_COLUMNS;
            for (Occupation o : Lexicons.occupations()) {
                rows.add(List.of(
                        o.name(),
                        o.pctFemale().isPresent() ? String.valueOf(o.pctFemale().getAsDouble()) : "",
                        o.pctFemaleSource(),
                        o.winogender() ? "yes" : "no",
                        o.winobias() ? "yes" : "no",
                        ""));
            }
            files.put("lexicon:occupations.tsv", sha256(Lexicons.bytes("occupations.tsv")));
        } else if (lex.equals("gender-words")) {
            header = GENDER_COLUMNS;
            for (GenderPair p : Lexicons.genderPairs()) {
                rows.add(List.of(p.male(), p.female()));
            }
            files.put("lexicon:gender-words.tsv", sha256(Lexicons.bytes("gender-words.tsv")));
        } else {
            throw error(
                    spec.keyLines().get("lexicon"),
                    "unknown lexicon '" + lex + "'",
                    "built-in lexicons: occupations, gender-words");
        }
        return table(
                name, spec, "lexicon:" + lex, header, rows, column == null ? header.get(0) : column, stat, null, null);
    }

    private TermList file(String name, YamlNode.Mapping spec, String file, String column, String stat)
            throws InvalidInputException {
        if (baseDir == null) {
            throw error(spec.keyLines().get("file"), "term files can only be used by suites read from a file", "");
        }
        Integer line = spec.keyLines().get("file");
        Path path;
        try {
            path = baseDir.resolve(file).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw error(
                    line,
                    "term file name \"" + file + "\" is not a valid path: " + e.getReason(),
                    "give the name of a text file next to the suite, e.g. {file: jobs.txt}");
        }
        byte[] bytes;
        try {
            Path real = path.toRealPath();
            if (scope == SuiteLoader.TermFileScope.SUITE_FOLDER && !real.startsWith(baseDir.toRealPath())) {
                throw error(
                        line,
                        "term file " + file + " is outside the suite's folder " + baseDir,
                        "move it into the suite's folder (or a folder below it), or allow term files elsewhere "
                                + "with unmask audit --allow-outside-term-files");
            }
            if (!Files.isRegularFile(real)) {
                throw error(line, "term file " + file + " is not a regular file", "give a text file of terms");
            }
            bytes = SuiteText.read(real, SuiteLoader.MAX_TERM_FILE_BYTES, where(line) + "term file " + file);
        } catch (NoSuchFileException e) {
            throw error(
                    line,
                    "term file not found: " + path,
                    "term files are resolved relative to the suite file's folder");
        } catch (IOException e) {
            throw error(line, "cannot read term file " + path + ": " + e.getMessage(), "");
        }
        files.put(file, sha256(bytes));
        List<String> lines = SuiteText.utf8(bytes, path.toString()).lines().toList();
        String lower = file.toLowerCase(java.util.Locale.ROOT);
        if (!lower.endsWith(".tsv") && !lower.endsWith(".csv")) {
            if (column != null || stat != null) {
                throw error(
                        spec.line(),
                        "'column'/'stat' need a .tsv or .csv file, " + file + " is plain text",
                        "plain files hold one term per line");
            }
            List<Term> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < lines.size(); i++) {
                String t = lines.get(i).strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    checkTerm(seen, t, name, path + ":" + (i + 1));
                    out.add(new Term(t, Double.NaN));
                }
            }
            return new TermList(name, out, null, file);
        }
        String sep = lower.endsWith(".tsv") ? "\t" : ",";
        if (lines.isEmpty()) {
            return new TermList(name, List.of(), null, file);
        }
        List<String> header = List.of(lines.get(0).split(sep, -1));
        List<List<String>> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(List.of(lines.get(i).split(sep, -1)));
                lineNumbers.add(i + 1);
            }
        }
        return table(
                name,
                spec,
                file,
                header.stream().map(String::strip).toList(),
                rows,
                column == null ? header.get(0).strip() : column,
                stat,
                path + ":",
                lineNumbers);
    }

    private TermList table(
            String name,
            YamlNode.Mapping spec,
            String from,
            List<String> header,
            List<List<String>> rows,
            String column,
            String stat,
            String fileWhere,
            List<Integer> lineNumbers)
            throws InvalidInputException {
        int c = header.indexOf(column);
        if (c < 0) {
            throw error(
                    spec.keyLines().get("column"),
                    "term list '" + name + "': unknown column '" + column + "' in " + from,
                    "columns: " + String.join(", ", header));
        }
        int s = stat == null ? -1 : header.indexOf(stat);
        if (stat != null && s < 0) {
            throw error(
                    spec.keyLines().get("stat"),
                    "term list '" + name + "': unknown column '" + stat + "' in " + from,
                    "columns: " + String.join(", ", header));
        }
        List<Term> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            String text = c < row.size() ? row.get(c).strip() : "";
            String where = fileWhere == null ? from : fileWhere + lineNumbers.get(r);
            if (fileWhere == null) {
                // built-in lexicons repeat forms on purpose (his/him -> her): keep the first
                if (text.isEmpty() || !seen.add(text)) {
                    continue;
                }
            } else {
                checkTerm(seen, text, name, where);
            }
            double value = Double.NaN;
            if (s >= 0) {
                String cell = s < row.size() ? row.get(s).strip() : "";
                try {
                    value = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(
                            where + ": column '" + stat + "' of '" + text + "' is not a number: \"" + cell + "\"",
                            "every term needs a numeric " + stat + ", or leave 'stat' out");
                }
            }
            out.add(new Term(text, value));
        }
        return new TermList(name, out, stat, from);
    }

    /** Rejects empty and repeated terms: either is a mistake in a hand-written list, never silently dropped. */
    static void checkTerm(Set<String> seen, String term, String list, String where) throws InvalidInputException {
        if (term.isEmpty()) {
            throw new InvalidInputException(where + ": empty term in list '" + list + "'", "remove the empty entry");
        }
        if (!seen.add(term)) {
            throw new InvalidInputException(
                    where + ": term list '" + list + "' has '" + term + "' twice",
                    "remove the repeat; each term counts once in the statistics");
        }
    }

    private String text(YamlNode.Mapping spec, String field) throws InvalidInputException {
        YamlNode n = spec.fields().get(field);
        if (n == null) {
            return null;
        }
        if (n instanceof YamlNode.Scalar sc && sc.text() != null) {
            return sc.text();
        }
        throw error(n.line(), "'" + field + "' must be a single value", "");
    }

    private InvalidInputException error(Integer line, String message, String hint) {
        return new InvalidInputException(where(line) + message, hint);
    }

    private String where(Integer line) {
        return source + (line == null ? "" : ":" + line) + ": ";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
