package org.unmask.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * The JSON conventions of every result file (audit, benchmark, trace): an undefined statistic (NaN,
 * ±∞) is written as {@code null}, since JSON has no NaN and a reader must not mistake it for a number.
 */
public final class ResultJson {
    private ResultJson() {}

    /** A new mapper that writes NaN and infinities as {@code null}; callers add their own features. */
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
        return new ObjectMapper().registerModule(nan);
    }
}
