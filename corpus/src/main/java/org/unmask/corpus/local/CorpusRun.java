package org.unmask.corpus.local;

import java.util.List;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.CorpusFiles;

/**
 * The outcome of counting a corpus (by either engine).
 *
 * @param spec what was counted
 * @param listing the input files
 * @param shards results of the shards counted so far, in listing order
 * @param totals the sum of {@code shards}
 * @param reusedShards how many results came from checkpoints of an earlier run
 * @param missingShards shards not counted because the run was stopped early
 * @param seconds wall time of this run
 * @param engine {@code local} or {@code spark}
 * @param threads parallelism used
 * @param bytesThisRun uncompressed input bytes read by this run (shards reused from checkpoints excluded): the
 *     throughput is {@code bytesThisRun / seconds}, never inflated by the work of an earlier run
 */
public record CorpusRun(
        CountingSpec spec,
        CorpusFiles.Listing listing,
        List<ShardResult> shards,
        Counts totals,
        int reusedShards,
        int missingShards,
        double seconds,
        String engine,
        int threads,
        long bytesThisRun) {
    public CorpusRun {
        shards = List.copyOf(shards);
        if (bytesThisRun < 0) {
            throw new IllegalArgumentException("bytesThisRun must be >= 0");
        }
    }

    /** A run that read every shard itself (no checkpoints reused), as the Spark engine does. */
    public CorpusRun(
            CountingSpec spec,
            CorpusFiles.Listing listing,
            List<ShardResult> shards,
            Counts totals,
            int reusedShards,
            int missingShards,
            double seconds,
            String engine,
            int threads) {
        this(
                spec,
                listing,
                shards,
                totals,
                reusedShards,
                missingShards,
                seconds,
                engine,
                threads,
                checkedAllRead(reusedShards, totals));
    }

    private static long checkedAllRead(int reusedShards, Counts totals) {
        if (reusedShards != 0) {
            throw new IllegalArgumentException("a run with reused shards must say how many bytes it read itself");
        }
        return totals.total(Total.INPUT_BYTES);
    }

    /** Complete: every shard counted; partial: something skipped; interrupted: shards missing. */
    public enum Status {
        COMPLETE,
        PARTIAL,
        INTERRUPTED
    }

    public Status status() {
        if (missingShards > 0) {
            return Status.INTERRUPTED;
        }
        boolean skipped = shards.stream().anyMatch(r -> r.skipped() > 0 || !r.complete());
        return skipped ? Status.PARTIAL : Status.COMPLETE;
    }

    public long skipped() {
        return shards.stream().mapToLong(ShardResult::skipped).sum();
    }

    /** Sums shard results in the given order. */
    public static Counts sum(int occupations, List<ShardResult> results) {
        Counts c = new Counts(occupations);
        results.forEach(r -> c.add(r.counts()));
        return c;
    }
}
