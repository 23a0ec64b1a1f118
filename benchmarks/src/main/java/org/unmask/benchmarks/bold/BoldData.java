package org.unmask.benchmarks.bold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.core.error.InvalidInputException;

/**
 * Reads BOLD's prompt files ({@code {group: {wikipedia_page: [prompt, ...]}}}, gzip-compressed) after their SHA-256
 * is verified, in file order. Empty prompts (five in the religion and politics files, amazon-science/bold#2) are
 * counted by the caller, never sent.
 */
public final class BoldData {
    /** The domains this benchmark scores. */
    public static final List<String> DOMAINS = List.of("gender", "profession");

    private static final ObjectMapper JSON = new ObjectMapper();

    private BoldData() {}

    /** Every prompt of {@code domain}, in file order. */
    public static List<BoldPrompt> prompts(BenchmarkData data, String domain) throws InvalidInputException {
        String file = domain + "_prompt.json.gz";
        JsonNode root;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data.bytes(file)))) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read " + data.origin() + file + ": " + e.getMessage(),
                    "restore the file (see bold/README.md)",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(
                    data.origin() + file + " is not {group: {page: [prompts]}}", "restore the upstream file");
        }
        List<BoldPrompt> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> g : root.properties()) {
            for (Map.Entry<String, JsonNode> p : g.getValue().properties()) {
                for (JsonNode prompt : p.getValue()) {
                    out.add(new BoldPrompt(domain, g.getKey(), p.getKey(), prompt.asText()));
                }
            }
        }
        return out;
    }
}
