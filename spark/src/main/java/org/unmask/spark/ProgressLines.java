package org.unmask.spark;

import java.io.PrintStream;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Prints the job's progress on the driver's standard output as machine-readable lines,
 * {@code unmask-progress SHARDS_DONE SHARDS_TOTAL BYTES_DONE BYTES_TOTAL} (bytes as stored), one per finished
 * shard, for {@code unmask corpus stats --spark} to draw its progress bar. A shard counts once, when its first
 * attempt succeeds; a retried or speculative copy of the same shard adds nothing.
 */
final class ProgressLines extends SparkListener {
    static final String PREFIX = "unmask-progress ";

    private final PrintStream out;
    private List<ShardTask> tasks = List.of();
    private long totalBytes;
    private final BitSet done = new BitSet();
    private long doneBytes;

    ProgressLines(PrintStream out) {
        this.out = out;
    }

    /** The shards of the job about to run (task i counts shard i). */
    synchronized void start(List<ShardTask> shards) {
        tasks = List.copyOf(shards);
        totalBytes = tasks.stream().mapToLong(ShardTask::size).sum();
        print();
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        int i = end.taskInfo().index();
        if (!end.taskInfo().successful() || i < 0 || i >= tasks.size() || done.get(i)) {
            return;
        }
        done.set(i);
        doneBytes += tasks.get(i).size();
        print();
    }

    private void print() {
        out.printf(Locale.ROOT, "%s%d %d %d %d%n", PREFIX, done.cardinality(), tasks.size(), doneBytes, totalBytes);
        out.flush();
    }
}
