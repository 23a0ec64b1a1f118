package org.unmask.corpus.count;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything one shard contributed: its counts, and what was skipped.
 *
 * @param file the shard's path relative to the corpus root
 * @param counts the exact counts of the shard's counted documents
 * @param skips the first {@link ShardProcessor#MAX_LISTED_SKIPS} skipped items, in input order, and the corrupt
 *     stream that ended the shard early, if any
 * @param skipCounts number of skips per reason (all of them, listed or not)
 * @param complete false when the shard was cut short by a corrupt stream or a read error
 */
public record ShardResult(
        String file, Counts counts, List<Skip> skips, Map<Skip.Reason, Long> skipCounts, boolean complete)
        implements Serializable {
    public ShardResult {
        skips = List.copyOf(skips);
        skipCounts = Map.copyOf(skipCounts);
    }

    public long skipped() {
        return skipCounts.values().stream().mapToLong(Long::longValue).sum();
    }
}
