package org.unmask.models.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unmask.core.error.ModelException;

/**
 * The fields of a Hugging Face {@code config.json} that the architectures read, plus the raw tree for
 * architecture-specific extras.
 *
 * @param file where it was read from, for error messages
 * @param architectures e.g. {@code [BertForMaskedLM]}
 * @param modelType e.g. {@code bert}
 * @param raw the whole JSON object
 */
public record ModelConfig(Path file, List<String> architectures, String modelType, JsonNode raw) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code config.json} from a model folder. */
    public static ModelConfig read(Path dir) throws ModelException {
        Path file = dir.resolve("config.json");
        JsonNode node;
        try {
            node = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ModelException("no config.json in " + dir, "a model folder must be in Hugging Face layout "
                    + "(config.json, tokenizer.json, model.safetensors)");
        } catch (JsonProcessingException e) {
            throw new ModelException(file + ":" + e.getLocation().getLineNr() + ": config.json is not valid JSON: "
                    + e.getOriginalMessage(), "restore the file from the model's source");
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), "check the file's permissions");
        }
        if (node == null || !node.isObject()) {
            throw new ModelException(file + ": config.json must hold a JSON object", "restore the file");
        }
        List<String> arch = new ArrayList<>();
        node.path("architectures").forEach(a -> arch.add(a.asText()));
        return new ModelConfig(file, List.copyOf(arch), node.path("model_type").asText(""), node);
    }

    /** A required integer field. */
    public int integer(String field) throws ModelException {
        JsonNode v = raw.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new ModelException(file + ": field \"" + field + "\" is missing or not an integer",
                    "fix config.json; see the model's original config");
        }
        return v.asInt();
    }

    public int integer(String field, int fallback) {
        JsonNode v = raw.get(field);
        return v == null || !v.canConvertToInt() ? fallback : v.asInt();
    }

    public double number(String field, double fallback) {
        JsonNode v = raw.get(field);
        return v == null || !v.isNumber() ? fallback : v.asDouble();
    }

    public String text(String field, String fallback) {
        JsonNode v = raw.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    /** The first architecture name, or the model type when none is listed. */
    public String architecture() {
        return architectures.isEmpty() ? modelType : architectures.get(0);
    }
}
