package org.unmask.benchmarks;

import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;

/**
 * A published bias benchmark: loads its verified data, plans typed model requests, runs them through the
 * executor in one batch and scores the answers exactly as its paper / reference code does.
 */
public interface Benchmark {
    /** The benchmark id, equal to its data folder name. */
    String id();

    /** One line for {@code bench-list}. */
    String summary();

    BenchmarkResult run(RequestExecutor executor, RunOptions options, ProgressListener progress) throws UnmaskException;
}
