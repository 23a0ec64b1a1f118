package org.unmask.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Strict reading of a JSON request object: unknown fields, wrong types and out-of-range numbers are 400s. */
public final class JsonFields {
    private final ObjectNode body;

    public JsonFields(ObjectNode body, Set<String> allowed) throws ApiException {
        this.body = body;
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.badRequest(
                        "unknown_field",
                        "unknown field \"" + abbreviate(f) + "\"",
                        "allowed fields: "
                                + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    public String string(String field) throws ApiException {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual()) {
            throw ApiException.badRequest("bad_field", "\"" + field + "\" must be a string", "");
        }
        return n.asText();
    }

    public String string(String field, String fallback) throws ApiException {
        return body.has(field) ? string(field) : fallback;
    }

    public int integer(String field, int fallback, int min, int max) throws ApiException {
        JsonNode n = body.get(field);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw ApiException.badRequest(
                    "bad_" + field, "\"" + field + "\" must be an integer from " + min + " to " + max, "");
        }
        return n.asInt();
    }

    /** A string or an array of strings (as Hugging Face's {@code inputs}), with at most {@code max} entries. */
    public List<String> strings(String field, boolean required, int max) throws ApiException {
        JsonNode n = body.get(field);
        if (n == null) {
            if (required) {
                throw ApiException.badRequest("missing_field", "\"" + field + "\" is required", "");
            }
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            throw ApiException.badRequest("bad_field", "\"" + field + "\" must be a string or an array of strings", "");
        }
        if (n.size() > max) {
            throw ApiException.badRequest(
                    "too_many_" + field,
                    "\"" + field + "\" has " + n.size() + " entries, more than the limit of " + max,
                    "split the request");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw ApiException.badRequest("bad_field", "\"" + field + "\" must contain only strings", "");
            }
            out.add(e.asText());
        }
        if (required && out.isEmpty()) {
            throw ApiException.badRequest("missing_field", "\"" + field + "\" is empty", "");
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
