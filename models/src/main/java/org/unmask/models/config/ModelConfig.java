package org.unmask.models.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
 * architecture-specific extras. Reading is bounded (file size, nesting depth), and every typed accessor rejects a
 * value of the wrong type or out of range with a one-line {@link ModelException} naming the field, so a broken
 * config never reaches the tensor code.
 *
 * @param file where it was read from, for error messages
 * @param architectures e.g. {@code [BertForMaskedLM]}
 * @param modelType e.g. {@code bert}
 * @param raw the whole JSON object
 */
public record ModelConfig(Path file, List<String> architectures, String modelType, JsonNode raw) {
    /** Real configs are a few KB and nest 2-3 levels; anything far beyond is not a config. */
    public static final int MAX_NESTING = 64;
    /** The largest config.json read (real ones are under 10 KB). */
    public static final long MAX_BYTES = 4L << 20;
    /** The largest dimension accepted (vocabularies, widths, context lengths); real models stay far below. */
    public static final int MAX_DIM = 1 << 24;
    /** The most layers accepted. */
    public static final int MAX_LAYERS = 4096;

    private static final ObjectMapper JSON = boundedMapper();

    /** A JSON mapper with a nesting limit of {@value #MAX_NESTING}, for model metadata files. */
    public static ObjectMapper boundedMapper() {
        return new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .build())
                .build());
    }

    /** Reads {@code config.json} from a model folder. */
    public static ModelConfig read(Path dir) throws ModelException {
        Path file = dir.resolve("config.json");
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ModelException(
                        file + ": config.json has " + Files.size(file) + " bytes, more than the " + MAX_BYTES
                                + " a model config can have",
                        "restore the file from the model's source");
            }
            return parse(file, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ModelException(
                    "no config.json in " + dir,
                    "a model folder must be in Hugging Face layout "
                            + "(config.json, tokenizer.json, model.safetensors)");
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), "check the file's permissions");
        }
    }

    /** Parses the bytes of a {@code config.json}; {@code file} names it in error messages. */
    public static ModelConfig parse(Path file, byte[] bytes) throws ModelException {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ModelException(
                    file + where(e) + ": config.json is not valid JSON: " + e.getOriginalMessage(),
                    "restore the file from the model's source");
        } catch (IOException e) {
            throw new ModelException("cannot parse " + file + ": " + e.getMessage(), "restore the file");
        }
        if (node == null || !node.isObject()) {
            throw new ModelException(file + ": config.json must hold a JSON object", "restore the file");
        }
        List<String> arch = new ArrayList<>();
        JsonNode archs = node.path("architectures");
        if (!archs.isMissingNode() && !archs.isNull() && !archs.isArray()) {
            throw new ModelException(
                    file + ": field \"architectures\" must be a list of names",
                    "fix config.json; see the model's original config");
        }
        for (JsonNode a : archs) {
            if (!a.isTextual()) {
                throw new ModelException(
                        file + ": field \"architectures\" must be a list of names",
                        "fix config.json; see the model's original config");
            }
            arch.add(a.asText());
        }
        JsonNode type = node.path("model_type");
        return new ModelConfig(file, List.copyOf(arch), type.isTextual() ? type.asText() : "", node);
    }

    /** {@code ":line"} of a parse error, or nothing when the parser knows no location (e.g. a nesting limit). */
    public static String where(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        return loc == null || loc.getLineNr() < 1 ? "" : ":" + loc.getLineNr();
    }

    /** A required integer field. */
    public int integer(String field) throws ModelException {
        JsonNode v = raw.get(field);
        if (v == null || v.isNull()) {
            throw bad(field, "is missing");
        }
        return asInt(field, v);
    }

    /** An optional integer field: {@code fallback} when absent or null, an error when present but not an integer. */
    public int integer(String field, int fallback) throws ModelException {
        JsonNode v = raw.get(field);
        return v == null || v.isNull() ? fallback : asInt(field, v);
    }

    /** A required integer in {@code [1, max]}. */
    public int positive(String field, int max) throws ModelException {
        return inRange(field, integer(field), 1, max);
    }

    /** An optional integer in {@code [1, max]}. */
    public int positive(String field, int fallback, int max) throws ModelException {
        return inRange(field, integer(field, fallback), 1, max);
    }

    /** {@code value} of {@code field} when within {@code [min, max]}; else an error naming the field. */
    public int inRange(String field, int value, int min, int max) throws ModelException {
        if (value < min || value > max) {
            throw bad(
                    field,
                    "is " + value + "; it must be "
                            + (max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max));
        }
        return value;
    }

    /** An optional finite number: {@code fallback} when absent or null, an error when not a finite number. */
    public double number(String field, double fallback) throws ModelException {
        JsonNode v = raw.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw bad(field, "is " + abbreviate(v) + ", not a finite number");
        }
        return v.asDouble();
    }

    /** An optional number that must be strictly positive (epsilons, RoPE bases and factors). */
    public double positiveNumber(String field, double fallback) throws ModelException {
        double d = number(field, fallback);
        if (!(d > 0)) {
            throw bad(field, "is " + d + "; it must be greater than 0");
        }
        return d;
    }

    /** An optional string field; an error when present but not a string. */
    public String text(String field, String fallback) throws ModelException {
        JsonNode v = raw.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw bad(field, "is " + abbreviate(v) + ", not a string");
        }
        return v.asText();
    }

    /** An optional boolean field; an error when present but not {@code true}/{@code false}. */
    public boolean flag(String field, boolean fallback) throws ModelException {
        JsonNode v = raw.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw bad(field, "is " + abbreviate(v) + ", not true or false");
        }
        return v.asBoolean();
    }

    /** The error for a field whose value is wrong: {@code <file>: field "<field>" <problem>}. */
    public ModelException bad(String field, String problem) {
        return new ModelException(
                file + ": field \"" + field + "\" " + problem, "fix config.json; see the model's original config");
    }

    private int asInt(String field, JsonNode v) throws ModelException {
        boolean integral = v.isIntegralNumber() || v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble());
        if (!integral || !v.canConvertToInt()) {
            throw bad(field, "is " + abbreviate(v) + ", not an integer");
        }
        return v.asInt();
    }

    private static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** The first architecture name, or the model type when none is listed. */
    public String architecture() {
        return architectures.isEmpty() ? modelType : architectures.get(0);
    }
}
