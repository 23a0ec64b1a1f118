package org.unmask.benchmarks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Fixes the key order of a result's open JSON objects ({@code items}, {@code metrics[].details}), so that the same
 * run writes the same bytes: an ordered map (a {@link LinkedHashMap} or a {@link SortedMap}) keeps its order; any
 * other map ({@code Map.of}, whose iteration order changes from one JVM run to the next) is sorted by key. Nested
 * maps and lists are copied the same way; the copies are unmodifiable.
 */
final class OpenFields {
    private OpenFields() {}

    static Map<String, Object> ordered(Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, ?> source = map instanceof LinkedHashMap || map instanceof SortedMap ? map : new TreeMap<>(map);
        source.forEach((k, v) -> out.put(k, value(v)));
        return Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v) {
        if (v instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k instanceof String)) {
            return ordered((Map<String, ?>) m);
        }
        if (v instanceof List<?> l) {
            return Collections.unmodifiableList(
                    l.stream().map(OpenFields::value).toList());
        }
        return v;
    }
}
