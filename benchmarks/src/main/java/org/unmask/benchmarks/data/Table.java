package org.unmask.benchmarks.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;

/**
 * A delimited text file (CSV as Python's {@code csv} module reads it, or TSV) with a header row. Quoted CSV
 * fields may hold commas, doubled quotes and newlines. Every row remembers the line it starts on, so errors
 * name file and line.
 */
public final class Table {
    private final String file;
    private final List<String> header;
    private final List<Row> rows;

    private Table(String file, List<String> header, List<Row> rows) {
        this.file = file;
        this.header = List.copyOf(header);
        this.rows = List.copyOf(rows);
    }

    /** Parses RFC-4180-style CSV. */
    public static Table csv(String file, String text) throws InvalidInputException {
        return build(file, parseCsv(file, stripBom(text)));
    }

    /** Parses tab-separated values (no quoting, as the upstream files are written). */
    public static Table tsv(String file, String text) throws InvalidInputException {
        List<RawRow> raw = new ArrayList<>();
        String[] lines = stripBom(text).split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            raw.add(new RawRow(i + 1, List.of(lines[i].split("\t", -1))));
        }
        return build(file, raw);
    }

    public String file() {
        return file;
    }

    public List<String> header() {
        return header;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Fails with the file name when a required column is missing. */
    public void requireColumns(String... names) throws InvalidInputException {
        for (String n : names) {
            if (!header.contains(n)) {
                throw new InvalidInputException(
                        file + ": missing column '" + n + "' (header: " + header + ")",
                        "restore the upstream file; the benchmark needs columns " + List.of(names));
            }
        }
    }

    private static String stripBom(String text) {
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    private static Table build(String file, List<RawRow> raw) throws InvalidInputException {
        if (raw.isEmpty()) {
            throw new InvalidInputException(file + " is empty", "restore the upstream file");
        }
        List<String> header = raw.get(0).fields();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i), i);
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 1; r < raw.size(); r++) {
            RawRow rr = raw.get(r);
            if (rr.fields().size() != header.size()) {
                throw new InvalidInputException(
                        file + ":" + rr.line() + ": malformed row: "
                                + rr.fields().size() + " fields where the header has " + header.size(),
                        "fix the quoting or delimiters on that line, or restore the upstream file");
            }
            rows.add(new Row(file, rr.line(), index, rr.fields()));
        }
        return new Table(file, header, rows);
    }

    private record RawRow(int line, List<String> fields) {}

    private static List<RawRow> parseCsv(String file, String text) throws InvalidInputException {
        List<RawRow> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int start = 1;
        int quoteStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                quoteStart = line;
                any = true;
            } else if (c == ',') {
                fields.add(cur.toString());
                cur.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || cur.length() > 0) {
                    fields.add(cur.toString());
                    rows.add(new RawRow(start, List.copyOf(fields)));
                }
                fields.clear();
                cur.setLength(0);
                any = false;
                line++;
                start = line;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new InvalidInputException(
                    file + ":" + quoteStart + ": malformed row: quote opened here is never" + " closed",
                    "close the quoted field or restore the upstream file");
        }
        if (any || cur.length() > 0) {
            fields.add(cur.toString());
            rows.add(new RawRow(start, List.copyOf(fields)));
        }
        return rows;
    }

    /** One data row; {@link #get} fails with file:line when a value is missing. */
    public record Row(String file, int line, Map<String, Integer> index, List<String> fields) {
        /** The value of a column (never null). */
        public String get(String column) throws InvalidInputException {
            Integer i = index.get(column);
            if (i == null) {
                throw new InvalidInputException(
                        file + ": missing column '" + column + "'", "restore the upstream file");
            }
            return fields.get(i);
        }

        /** The value of a column, which must not be blank. */
        public String require(String column) throws InvalidInputException {
            String v = get(column);
            if (v.isBlank()) {
                throw new InvalidInputException(
                        where() + ": empty value in column '" + column + "'", "fill in the value or remove the row");
            }
            return v;
        }

        /** {@code file:line} of this row. */
        public String where() {
            return file + ":" + line;
        }
    }
}
