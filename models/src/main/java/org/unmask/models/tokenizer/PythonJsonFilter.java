package org.unmask.models.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;

/**
 * {@code tojson} as transformers defines it for chat templates: Python's {@code json.dumps(x, ensure_ascii=False)}
 * with its default separators ({@code ", "} and {@code ": "}), so tool definitions render byte for byte as in
 * Python (Jinjava's own {@code tojson} writes no spaces).
 */
final class PythonJsonFilter implements Filter {
    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        StringBuilder b = new StringBuilder();
        write(b, var);
        return b.toString();
    }

    static void write(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean || v instanceof Number) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(sep);
                string(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue());
                sep = ", ";
            }
            b.append('}');
        } else if (v instanceof Iterable<?> it) {
            b.append('[');
            String sep = "";
            for (Object o : it) {
                b.append(sep);
                write(b, o);
                sep = ", ";
            }
            b.append(']');
        } else {
            string(b, String.valueOf(v));
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
