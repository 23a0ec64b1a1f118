package org.unmask.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
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
        SimpleModule nan = new SimpleModule("nan-as-null");
        StdSerializer<Double> doubles = new StdSerializer<>(Double.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v == null || v.isNaN() || v.isInfinite()) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
        };
        nan.addSerializer(Double.class, doubles);
        nan.addSerializer(double.class, doubles);
        return new ObjectMapper().registerModule(nan).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    public static String render(AuditResult result) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit result not serialisable", e);
        }
    }
}
