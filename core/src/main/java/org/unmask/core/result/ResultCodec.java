package org.unmask.core.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.json.ResultJson;

/**
 * The one codec of result files: it writes the result records as JSON and reads them back, so every producer and
 * consumer ({@code audit}, {@code benchmark}, {@code compare}, {@code trace}, {@code corpus stats}, the server) shares
 * one definition of the format.
 *
 * <p>Writing: pretty-printed, fields in record order, NaN and ±∞ as {@code null} (JSON has no NaN), a final newline.
 * Reading: every record component must be present (a missing field is an error, never a silent default); a
 * {@code null} number reads as NaN; unknown fields are ignored, so a reader accepts fields a newer writer added
 * within the same schema version. Schema-1 audit results are upgraded on read: {@code executor.sampled} and lean
 * {@code slices} (added late in schema 1) become 0 and an empty list, and the schema-2 statistics fields get their
 * empty values: an interval's {@code method}, {@code resamples} and {@code note} {@code ""}, an aggregate's
 * {@code noiseFloor} and {@code noiseFloorP} and a target's {@code p} and {@code q} NaN, a lean measure's
 * {@code warnings} an empty list. The upgraded record keeps the file's {@code schemaVersion}. Every failure is an
 * {@link InvalidInputException} naming the file and the field, e.g. {@code runs/a/result.json: field
 * measures[1].targets[0].lean.value: expected a number, found text}.
 */
public final class ResultCodec {
    private static final ObjectMapper MAPPER = mapper();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();
    private static final Pattern MISSING = Pattern.compile("Missing (?:required )?creator property '([^']+)'");

    private ResultCodec() {}

    /** Which record a {@code measures[]} element is, from its {@code measure} id; every other id is a lean measure. */
    @JsonTypeInfo(
            use = JsonTypeInfo.Id.NAME,
            include = JsonTypeInfo.As.EXISTING_PROPERTY,
            property = "measure",
            visible = true,
            defaultImpl = LeanResult.class)
    @JsonSubTypes({
        @JsonSubTypes.Type(value = TopKResult.class, name = "top-k"),
        @JsonSubTypes.Type(value = GenerationResult.class, name = "generation")
    })
    private interface MeasureResultTypes {}

    /** trace.json: the two lists are left out when empty (as schema-1 writers did). */
    private abstract static class TraceResultFields {
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract List<TraceResult.Occupation> occupations();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract List<String> excluded();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract List<TraceResult.Run> runs();
    }

    /** trace.json: each run's occupation also carries its amplification (derived, ignored on reading). */
    private abstract static class TracePointFields {
        @JsonProperty("amplificationPoints")
        abstract double amplification();
    }

    /** trace.json: each occupation also carries its amplification (derived, ignored on reading). */
    private abstract static class TraceOccupationFields {
        @JsonProperty("amplificationPoints")
        abstract double amplification();
    }

    private static ObjectMapper mapper() {
        SimpleModule nullAsNaN = new SimpleModule("null-as-nan");
        nullAsNaN.addDeserializer(Double.class, new NaNDoubles(Double.class));
        nullAsNaN.addDeserializer(double.class, new NaNDoubles(double.class));
        ObjectMapper m = ResultJson.mapper()
                .registerModule(nullAsNaN)
                .addMixIn(MeasureResult.class, MeasureResultTypes.class)
                .addMixIn(TraceResult.class, TraceResultFields.class)
                .addMixIn(TraceResult.Occupation.class, TraceOccupationFields.class)
                .addMixIn(TraceResult.Point.class, TracePointFields.class)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // older pseudo-perplexity files were written by a plain mapper, which writes NaN as a bare token
        m.getFactory().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());
        return m;
    }

    /** A result record as the file's text: pretty-printed JSON and a final newline. */
    public static String render(Object result) {
        try {
            return PRETTY.writeValueAsString(result) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(result.getClass().getSimpleName() + " is not serialisable", e);
        }
    }

    /** One record as one compact JSON line (no newline), for JSON Lines files. */
    public static String line(Object row) {
        try {
            return MAPPER.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(row.getClass().getSimpleName() + " is not serialisable", e);
        }
    }

    /** A result record as a JSON tree, exactly as {@link #render} writes it (for APIs that embed it). */
    public static JsonNode tree(Object result) {
        return MAPPER.valueToTree(result);
    }

    /**
     * Reads an audit's {@code result.json}: a file, or a folder holding one.
     *
     * @throws InvalidInputException naming the file (and the field) when it is missing, not JSON, of a newer schema
     *     or not an audit result
     */
    public static AuditResult readAudit(Path fileOrFolder) throws InvalidInputException {
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve("result.json") : fileOrFolder;
        return readAudit(text(file, AUDIT_HINT), file.toString());
    }

    /** Reads an audit result from its text; {@code source} names it in errors. */
    public static AuditResult readAudit(String json, String source) throws InvalidInputException {
        JsonNode tree = parse(json, source, AUDIT_HINT);
        if (!tree.isObject()) {
            throw new InvalidInputException(source + ": not an audit result (expected a JSON object)", AUDIT_HINT);
        }
        JsonNode v = tree.get("schemaVersion");
        if (v == null || !v.canConvertToExactIntegral()) {
            throw new InvalidInputException(
                    source + ": field schemaVersion: missing or not an integer; not an " + "audit result.json",
                    AUDIT_HINT);
        }
        if (v.asInt() > AuditResult.SCHEMA_VERSION || v.asInt() < 1) {
            throw new InvalidInputException(
                    source + ": field schemaVersion: " + v.asText() + " is not a schema this " + "unmask reads (1 to "
                            + AuditResult.SCHEMA_VERSION + ")",
                    "read it with the unmask version that wrote it (provenance.toolVersion), or re-run the audit");
        }
        if (v.asInt() == 1) {
            upgradeSchema1((ObjectNode) tree);
        }
        return bind(tree, AuditResult.class, source, AUDIT_HINT);
    }

    /**
     * Reads any result record from a file (e.g. {@code pseudo-perplexity.json}, {@code corpus-stats.json}).
     *
     * @param hint how to get a good file, for the error message
     */
    public static <T> T read(Path file, Class<T> type, String hint) throws InvalidInputException {
        return bind(parse(text(file, hint), file.toString(), hint), type, file.toString(), hint);
    }

    /**
     * Reads a versioned result record whose integer {@code schemaVersion} field must be 1 to {@code newest}; a file
     * without the field is version 1 (written before the kind carried a version, e.g. benchmark results) and reads
     * as {@code schemaVersion} 1.
     *
     * @param hint how to get a good file, for the error message
     */
    public static <T> T readVersioned(Path file, Class<T> type, int newest, String hint) throws InvalidInputException {
        String source = file.toString();
        JsonNode tree = parse(text(file, hint), source, hint);
        if (!(tree instanceof ObjectNode root)) {
            throw new InvalidInputException(source + ": not a result file (expected a JSON object)", hint);
        }
        JsonNode v = root.get("schemaVersion");
        if (v == null) {
            root.put("schemaVersion", 1);
        } else if (!v.canConvertToExactIntegral() || v.asInt() < 1 || v.asInt() > newest) {
            throw new InvalidInputException(
                    source + ": field schemaVersion: " + v + " is not a schema this unmask " + "reads (1 to " + newest
                            + ")",
                    "read it with the unmask version that wrote it, or re-run it");
        }
        return bind(root, type, source, hint);
    }

    /**
     * Reads a {@code trace.json} written by {@code unmask trace}: schema {@value TraceResult#SCHEMA}, or
     * {@value TraceResult#SCHEMA_1} (written before several runs were traced), which reads with no runs.
     */
    public static TraceResult readTrace(Path fileOrFolder) throws InvalidInputException {
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve("trace.json") : fileOrFolder;
        String hint = "give a trace.json written by `unmask trace --out <dir>`";
        JsonNode tree = parse(text(file, hint), file.toString(), hint);
        JsonNode id = tree.get("schema");
        boolean known =
                id != null && (TraceResult.SCHEMA.equals(id.asText()) || TraceResult.SCHEMA_1.equals(id.asText()));
        if (!(tree instanceof ObjectNode root) || !known) {
            throw new InvalidInputException(
                    file + ": not an " + TraceResult.SCHEMA + " (or " + TraceResult.SCHEMA_1 + ") file (field schema: "
                            + (id == null ? "missing" : id.toString()) + ")",
                    hint);
        }
        // writers leave the lists out when they are empty; schema 1 had no runs
        for (String list : new String[] {"occupations", "excluded", "runs"}) {
            if (!root.has(list)) {
                root.putArray(list);
            }
        }
        return bind(root, TraceResult.class, file.toString(), hint);
    }

    /** Reads a {@code corpus-stats.json} of {@code unmask corpus stats} (schema {@value CorpusStats#SCHEMA}). */
    public static CorpusStats readCorpusStats(Path fileOrFolder) throws InvalidInputException {
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve("corpus-stats.json") : fileOrFolder;
        String hint = "pass the --out folder of `unmask corpus stats <corpus> --out <dir>`";
        return bind(schemaObject(file, CorpusStats.SCHEMA, hint), CorpusStats.class, file.toString(), hint);
    }

    /** Reads a {@code lab.json} of a pretraining lab ({@code unmask experiment}, schema {@value LabResult#SCHEMA}). */
    public static LabResult readLab(Path fileOrFolder) throws InvalidInputException {
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve("lab.json") : fileOrFolder;
        String hint = "give the lab.json that `unmask experiment <lab.yaml>` wrote under its out folder's report/";
        return bind(schemaObject(file, LabResult.SCHEMA, hint), LabResult.class, file.toString(), hint);
    }

    /** The file's JSON object after checking its {@code schema} id. */
    private static ObjectNode schemaObject(Path file, String schema, String hint) throws InvalidInputException {
        JsonNode tree = parse(text(file, hint), file.toString(), hint);
        JsonNode id = tree.get("schema");
        if (!(tree instanceof ObjectNode root) || id == null || !schema.equals(id.asText())) {
            throw new InvalidInputException(
                    file + ": not an " + schema + " file (field schema: " + (id == null ? "missing" : id.toString())
                            + ")",
                    hint);
        }
        return root;
    }

    private static final String AUDIT_HINT = "give a result.json written by `unmask audit --out <dir>` "
            + "(re-run the audit if it was edited or cut short)";

    /** Fills what schema 1 lacks with the value it stands for (see the class comment). */
    private static void upgradeSchema1(ObjectNode root) {
        if (root.get("executor") instanceof ObjectNode e && !e.has("sampled")) {
            e.put("sampled", 0);
        }
        if (root.get("measures") != null) {
            for (JsonNode m : root.get("measures")) {
                if (m instanceof ObjectNode o && o.has("targets") && o.has("aggregates")) {
                    if (!o.has("slices")) {
                        o.putArray("slices");
                    }
                    upgradeLeanStatistics(o);
                }
            }
        }
        upgradeIntervals(root);
    }

    /** Term warnings came with the statistics engine (issue 13): none known. */
    private static void upgradeLeanStatistics(ObjectNode lean) {
        if (!lean.has("warnings")) {
            lean.putArray("warnings");
        }
    }

    /**
     * What the statistics engine (issue 13) added, unknown in older files: how an interval was made (method, what was
     * resampled, a note), an aggregate's noise floor and a target's p/q (null reads as NaN).
     */
    private static void upgradeIntervals(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("lower") && o.has("upper") && !o.has("method")) {
                o.put("method", "");
                o.put("resamples", "");
                o.put("note", "");
            }
            if (o.has("estimate") && o.has("permutations") && !o.has("noiseFloor")) {
                o.putNull("noiseFloor");
                o.putNull("noiseFloorP");
            }
            if (o.has("lean") && o.has("neutralShare") && !o.has("p")) {
                o.putNull("p");
                o.putNull("q");
            }
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                upgradeIntervals(child);
            }
        }
    }

    private static String text(Path file, String hint) throws InvalidInputException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + " does not exist", hint, e);
        } catch (MalformedInputException e) {
            throw new InvalidInputException(file + ": not UTF-8 text", hint, e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), hint, e);
        }
    }

    private static JsonNode parse(String json, String source, String hint) throws InvalidInputException {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || n.isMissingNode()) {
                throw new InvalidInputException(source + ": empty file, not JSON", hint);
            }
            return n;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new InvalidInputException(
                    source + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + ": not valid JSON ("
                            + e.getOriginalMessage() + ")",
                    hint,
                    e);
        }
    }

    private static <T> T bind(JsonNode tree, Class<T> type, String source, String hint) throws InvalidInputException {
        ObjectReader reader = MAPPER.readerFor(type);
        try {
            return reader.readValue(tree);
        } catch (JsonMappingException e) {
            throw new InvalidInputException(source + ": " + describe(e), hint, e);
        } catch (IOException e) {
            throw new InvalidInputException(source + ": " + e.getMessage(), hint, e);
        }
    }

    /** "field a.b[2].c: what is wrong", from Jackson's path and problem. */
    static String describe(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        String msg = e.getOriginalMessage();
        Matcher missing = MISSING.matcher(msg == null ? "" : msg);
        if (missing.find()) {
            String name = missing.group(1);
            boolean named = path.toString().equals(name) || path.toString().endsWith("." + name);
            return "field " + (named ? path : path.length() == 0 ? name : path + "." + name) + ": missing";
        }
        String where = "field " + (path.length() == 0 ? "(top level)" : path.toString());
        if (e instanceof ValueInstantiationException) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            return where + ": invalid value ("
                    + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()) + ")";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + ": expected " + expected(m.getTargetType());
        }
        return where + ": " + msg;
    }

    private static String expected(Class<?> t) {
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "a number";
        }
        if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
            return "an integer";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "text";
        }
        if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "a list";
        }
        return "an object (" + t.getSimpleName() + ")";
    }

    /** Numbers where a result has them; {@code null} (how NaN is written) reads as NaN. */
    private static final class NaNDoubles extends StdScalarDeserializer<Double> {
        private static final long serialVersionUID = 1L;

        NaNDoubles(Class<?> type) {
            super(type);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getDoubleValue();
            }
            return (Double) ctxt.handleUnexpectedToken(Double.class, p);
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }
}
