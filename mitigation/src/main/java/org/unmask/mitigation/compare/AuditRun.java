package org.unmask.mitigation.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;

/**
 * One audit result folder as {@code unmask audit --out} writes it, read as plain JSON so the comparison does not
 * depend on the probes' classes: {@code result.json} (provenance, measures with their ideal values, aggregates and
 * top-k tables), {@code items.jsonl} (item-level scores) and, when present, {@code pseudo-perplexity.json}
 * (written by {@code unmask pppl --out}).
 *
 * @param dir the folder
 * @param result the parsed {@code result.json}
 * @param items item-level rows of lean measures, in file order
 * @param pseudoPerplexity the parsed {@code pseudo-perplexity.json}, or null
 */
public record AuditRun(Path dir, JsonNode result, List<JsonNode> items, JsonNode pseudoPerplexity) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a result folder; names the missing or broken file in the error. */
    public static AuditRun read(Path dir) throws InvalidInputException {
        Path result = dir.resolve("result.json");
        if (!Files.isRegularFile(result)) {
            throw new InvalidInputException(dir + " is not an audit result folder (no result.json)",
                    "give folders written by `unmask audit --out <dir>`");
        }
        try {
            JsonNode r = JSON.readTree(result.toFile());
            List<JsonNode> items = new ArrayList<>();
            Path itemsFile = dir.resolve("items.jsonl");
            if (Files.isRegularFile(itemsFile)) {
                try (BufferedReader br = Files.newBufferedReader(itemsFile)) {
                    String line;
                    int n = 0;
                    while ((line = br.readLine()) != null) {
                        n++;
                        if (!line.isBlank()) {
                            try {
                                items.add(JSON.readTree(line));
                            } catch (IOException e) {
                                throw new InvalidInputException(itemsFile + ":" + n + ": not JSON", "re-run the audit", e);
                            }
                        }
                    }
                }
            }
            Path pppl = dir.resolve("pseudo-perplexity.json");
            JsonNode p = Files.isRegularFile(pppl) ? JSON.readTree(pppl.toFile()) : null;
            return new AuditRun(dir, r, items, p);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + dir + ": " + e.getMessage(), "re-run the audit", e);
        }
    }

    /** The model id from the provenance. */
    public String modelId() {
        return result.path("provenance").path("model").path("id").asText("?");
    }

    /** The suite SHA-256 from the provenance. */
    public String suiteSha256() {
        return result.path("provenance").path("suite").path("sha256").asText("");
    }

    /** Measures by name, in suite order. */
    public Map<String, JsonNode> measures() {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode n : result.path("measures")) {
            m.put(n.path("name").asText(), n);
        }
        return m;
    }
}
