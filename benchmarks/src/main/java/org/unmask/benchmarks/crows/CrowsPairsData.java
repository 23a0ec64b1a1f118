package org.unmask.benchmarks.crows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.data.Table;
import org.unmask.core.error.InvalidInputException;

/** Reads {@code crows_pairs_anonymized.csv} into pairs, failing on a missing column or malformed row. */
public final class CrowsPairsData {
    public static final String FILE = "crows_pairs_anonymized.csv";

    /** The nine bias types of the dataset. */
    public static final Set<String> BIAS_TYPES = Set.of(
            "race-color",
            "socioeconomic",
            "gender",
            "disability",
            "nationality",
            "sexual-orientation",
            "physical-appearance",
            "religion",
            "age");

    private CrowsPairsData() {}

    public static List<CrowsPair> read(BenchmarkData data) throws InvalidInputException {
        String name = data.origin() + FILE;
        Table t = Table.csv(name, new String(data.bytes(FILE), StandardCharsets.UTF_8));
        return parse(t);
    }

    static List<CrowsPair> parse(Table t) throws InvalidInputException {
        t.requireColumns("", "sent_more", "sent_less", "stereo_antistereo", "bias_type");
        List<CrowsPair> out = new ArrayList<>();
        for (Table.Row r : t.rows()) {
            String dir = r.require("stereo_antistereo");
            if (!dir.equals("stereo") && !dir.equals("antistereo")) {
                throw new InvalidInputException(
                        r.where() + ": stereo_antistereo is '" + dir + "'", "it must be 'stereo' or 'antistereo'");
            }
            int index;
            try {
                index = Integer.parseInt(r.require(""));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(r.where() + ": index column is not an integer", "restore the file");
            }
            out.add(new CrowsPair(
                    index,
                    r.where(),
                    r.require("sent_more"),
                    r.require("sent_less"),
                    dir.equals("antistereo"),
                    r.require("bias_type")));
        }
        return out;
    }

    /** Maps bias-bench's alias {@code race} to the dataset's {@code race-color}; rejects unknown types. */
    public static String canonicalBiasType(String t) throws InvalidInputException {
        String c = t.equals("race") ? "race-color" : t;
        if (!BIAS_TYPES.contains(c)) {
            throw new InvalidInputException(
                    "unknown CrowS-Pairs bias type '" + t + "'",
                    "use one of " + new java.util.TreeSet<>(BIAS_TYPES) + " (or 'race')");
        }
        return c;
    }
}
