package org.unmask.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Items a benchmark did not score, counted per reason, with a few examples: nothing is dropped silently.
 * Mutable while a run collects; {@link #snapshot()} gives the record that goes into a result.
 */
public final class Skipped {
    private static final int EXAMPLES = 5;

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, List<String>> examples = new LinkedHashMap<>();

    /** Counts one skipped item under {@code reason}; {@code item} names it (file:row or id). */
    public void add(String reason, String item) {
        counts.merge(reason, 1L, Long::sum);
        List<String> ex = examples.computeIfAbsent(reason, k -> new ArrayList<>());
        if (ex.size() < EXAMPLES) {
            ex.add(item);
        }
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public Report snapshot() {
        return new Report(total(), counts, examples);
    }

    /**
     * @param total all skipped items
     * @param byReason counts per reason
     * @param examples up to five items per reason
     */
    public record Report(long total, Map<String, Long> byReason, Map<String, List<String>> examples) {
        public Report {
            // reasons in the order they were first met: a fixed order, so the same run writes the same file
            byReason = Collections.unmodifiableMap(new LinkedHashMap<>(byReason));
            Map<String, List<String>> ex = new LinkedHashMap<>();
            examples.forEach((k, v) -> ex.put(k, List.copyOf(v)));
            examples = Collections.unmodifiableMap(ex);
        }
    }
}
