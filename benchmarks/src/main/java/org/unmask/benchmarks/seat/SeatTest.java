package org.unmask.benchmarks.seat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.core.error.InvalidInputException;

/**
 * One SEAT/WEAT test file ({@code {"targ1": {"category", "examples"}, "targ2", "attr1", "attr2"}}). Examples are
 * deduplicated in order, because sent-bias keys encodings by text.
 *
 * @param name test name (file name without {@code .jsonl})
 * @param targ1 X
 * @param targ2 Y
 * @param attr1 A
 * @param attr2 B
 */
public record SeatTest(String name, Set targ1, Set targ2, Set attr1, Set attr2) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A named set of examples. */
    public record Set(String category, List<String> examples) {
        public Set {
            examples = List.copyOf(examples);
        }
    }

    public static SeatTest read(BenchmarkData data, String name) throws InvalidInputException {
        String path = "tests/" + name + ".jsonl";
        String where = data.origin() + path;
        JsonNode root;
        try {
            root = JSON.readTree(data.bytes(path));
        } catch (IOException e) {
            throw new InvalidInputException(where + ": not valid JSON: " + e.getMessage(), "restore the upstream file");
        }
        return new SeatTest(
                name,
                set(root, "targ1", where),
                set(root, "targ2", where),
                set(root, "attr1", where),
                set(root, "attr2", where));
    }

    private static Set set(JsonNode root, String key, String where) throws InvalidInputException {
        JsonNode n = root.path(key);
        JsonNode ex = n.path("examples");
        if (!n.isObject() || !ex.isArray() || ex.isEmpty()) {
            throw new InvalidInputException(
                    where + ": missing or empty '" + key + ".examples'",
                    "each SEAT file needs targ1, targ2, attr1, attr2 with non-empty examples");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < ex.size(); i++) {
            if (!ex.get(i).isTextual()) {
                throw new InvalidInputException(
                        where + ": " + key + ".examples[" + i + "] is not a string", "restore the upstream file");
            }
            unique.add(ex.get(i).asText());
        }
        return new Set(n.path("category").asText(key), new ArrayList<>(unique));
    }
}
