package org.unmask.benchmarks.stereoset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.core.error.InvalidInputException;

/** Reads the intrasentence examples of {@code stereoset_dev_flat.jsonl}; intersentence lines are not scored here. */
public final class StereoSetData {
    public static final String FILE = "stereoset_dev_flat.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StereoSetData() {}

    public static List<StereoSetExample> intrasentence(BenchmarkData data) throws InvalidInputException {
        List<String> lines = data.lines(FILE);
        List<StereoSetExample> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = data.origin() + FILE + ":" + (i + 1);
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new InvalidInputException(
                        where + ": malformed row: " + e.getMessage(),
                        "each line must be one JSON object; restore the upstream file");
            }
            String type = field(n, "type", where);
            if (!type.equals("intrasentence")) {
                continue;
            }
            out.add(new StereoSetExample(
                    i + 1,
                    field(n, "target", where),
                    field(n, "bias_type", where),
                    field(n, "context", where),
                    field(n, "stereotype", where),
                    field(n, "anti-stereotype", where),
                    field(n, "unrelated", where)));
        }
        return out;
    }

    private static String field(JsonNode n, String key, String where) throws InvalidInputException {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new InvalidInputException(
                    where + ": missing column '" + key + "'",
                    "each line needs type, target, bias_type, context, stereotype, anti-stereotype, unrelated");
        }
        return v.asText();
    }
}
