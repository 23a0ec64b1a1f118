package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Grouping of scored items by a key, in first-seen order (reports list groups in the order the suite has them). */
final class Groups {
    private Groups() {}

    static <T, K> Map<K, List<T>> by(List<T> items, Function<? super T, K> key) {
        Map<K, List<T>> out = new LinkedHashMap<>();
        for (T t : items) {
            out.computeIfAbsent(key.apply(t), k -> new ArrayList<>()).add(t);
        }
        return out;
    }
}
