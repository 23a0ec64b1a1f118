package org.unmask.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.unmask.core.json.ResultJson;
import org.unmask.probes.AuditResult;

/**
 * The schema-versioned {@code result.json}: the {@link AuditResult} record tree as JSON. Undefined numbers (NaN,
 * e.g. a CI of too few data) are written as {@code null}, since JSON has no NaN.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = mapper();

    private JsonReport() {}

    /** A Jackson mapper that writes NaN/∞ as null; shared by the JSONL writer. */
    public static ObjectMapper mapper() {
        return ResultJson.mapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    public static String render(AuditResult result) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit result not serialisable", e);
        }
    }
}
