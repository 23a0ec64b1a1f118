package org.unmask.spark;

import java.nio.file.Path;
import org.unmask.corpus.count.CountingSpec;

/** Command-line arguments of {@link CorpusStatsJob} (no CLI library on a Spark cluster's classpath). */
record JobArgs(
        String input, Path out, int window, String textField, Path occupations, Path genderWords, int maxLineBytes) {
    static final String USAGE = "usage: CorpusStatsJob INPUT --out DIR [--window K] [--text-field NAME]"
            + " [--occupations FILE] [--gender-words FILE] [--max-line-bytes N]";

    static JobArgs parse(String[] args) {
        String input = null;
        Path out = null;
        int window = CountingSpec.DEFAULT_WINDOW;
        String field = "text";
        Path occ = null;
        Path gender = null;
        int maxLine = CountingSpec.DEFAULT_MAX_LINE_BYTES;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                if (input != null) {
                    throw new IllegalArgumentException("more than one INPUT: " + input + ", " + a);
                }
                input = a;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--out" -> out = Path.of(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--text-field" -> field = v;
                case "--occupations" -> occ = Path.of(v);
                case "--gender-words" -> gender = Path.of(v);
                case "--max-line-bytes" -> maxLine = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (input == null || out == null) {
            throw new IllegalArgumentException("INPUT and --out are required");
        }
        return new JobArgs(input, out, window, field, occ, gender, maxLine);
    }
}
