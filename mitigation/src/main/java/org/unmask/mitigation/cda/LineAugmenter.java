package org.unmask.mitigation.cda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Augments one input line (a JSON object or a plain-text document) into output lines. The single definition of
 * the line formats, used by {@link CorpusAugmenter} and the Spark job alike.
 */
public final class LineAugmenter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CdaTransform transform;
    private final String field;
    private final boolean jsonIn;
    private final boolean jsonOut;

    /**
     * @param transform the document transform
     * @param field the JSON field holding the text (ignored for plain text input)
     * @param jsonIn whether input lines are JSON objects
     * @param jsonOut whether to write JSON objects ({@code field} + {@code cda} + the input's other fields)
     */
    public LineAugmenter(CdaTransform transform, String field, boolean jsonIn, boolean jsonOut) {
        this.transform = transform;
        this.field = field;
        this.jsonIn = jsonIn;
        this.jsonOut = jsonOut;
    }

    /** Augments one line. Blank lines give {@link Result#blank()}, unusable ones a skip reason. */
    public Result apply(String line) {
        if (line.isBlank()) {
            return new Result(List.of(), null, null, true);
        }
        ObjectNode obj = null;
        String text = line;
        if (jsonIn) {
            obj = parse(line);
            if (obj == null) {
                return new Result(List.of(), null, "not a JSON object", false);
            }
            JsonNode t = obj.get(field);
            if (t == null || !t.isTextual()) {
                return new Result(List.of(), null, "no text field \"" + field + "\"", false);
            }
            text = t.asText();
        }
        CdaTransform.Outcome o = transform.apply(text);
        List<String> lines = new ArrayList<>(o.outputs().size());
        for (CdaTransform.Emitted e : o.outputs()) {
            lines.add(jsonOut ? jsonLine(obj, e) : e.text().replace('\r', ' ').replace('\n', ' '));
        }
        return new Result(lines, o, null, false);
    }

    private String jsonLine(ObjectNode template, CdaTransform.Emitted e) {
        ObjectNode o = template == null ? JSON.createObjectNode() : template.deepCopy();
        o.put(field, e.text());
        o.put("cda", e.variant().label());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a JSON tree failed to serialise", ex);
        }
    }

    private static ObjectNode parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n instanceof ObjectNode o ? o : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * What one line became.
     *
     * @param lines output lines (without line breaks)
     * @param outcome the document outcome, null when the line was blank or skipped
     * @param skipReason why the line was not a document, or null
     * @param blank whether the line was blank
     */
    public record Result(List<String> lines, CdaTransform.Outcome outcome, String skipReason, boolean blank) {}
}
