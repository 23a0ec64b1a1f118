package org.unmask.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unmask.core.engine.ExecutionStats;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.version.ToolVersion;

/**
 * Collects what every benchmark result carries besides its metrics: wall time and executor counters of the
 * run, provenance of model and data, and the standard notes (partial run, non-commercial data).
 */
public final class RunRecorder {
    /** The toolkit version written into provenance. */
    public static final String UNMASK_VERSION = ToolVersion.get();

    private final RequestExecutor executor;
    private final BenchmarkData data;
    private final RunOptions options;
    private final ExecutionStats before;
    private final long t0 = System.nanoTime();
    private final List<String> notes = new ArrayList<>();
    private long extraPasses;
    private double extraModelSeconds;

    public RunRecorder(RequestExecutor executor, BenchmarkData data, RunOptions options) {
        this.executor = executor;
        this.data = data;
        this.options = options;
        this.before = executor.stats();
    }

    /** Counts model work done outside the executor (id-level scoring). */
    public void addModelWork(long forwardPasses, double modelSeconds) {
        extraPasses += forwardPasses;
        extraModelSeconds += modelSeconds;
    }

    public void note(String note) {
        notes.add(note);
    }

    /** Builds the result; {@code sentences} is how many sentence-level requests the run scored (for throughput). */
    public BenchmarkResult finish(
            List<MetricValue> metrics, Skipped skipped, long sentences, List<Map<String, Object>> items) {
        double wall = (System.nanoTime() - t0) / 1e9;
        ExecutionStats after = executor.stats();
        long passes = after.forwardInputs() - before.forwardInputs() + extraPasses;
        double modelSeconds = (after.modelNanos() - before.modelNanos()) / 1e9 + extraModelSeconds;
        BenchmarkResult.Timing timing = new BenchmarkResult.Timing(
                round(wall),
                round(modelSeconds),
                passes,
                after.batches() - before.batches(),
                after.requests() - before.requests(),
                after.cacheHits() - before.cacheHits(),
                sentences,
                wall > 0 ? round(sentences / wall) : Double.NaN,
                wall > 0 ? round(passes / wall) : Double.NaN,
                Runtime.getRuntime().availableProcessors());
        List<String> all = new ArrayList<>(notes);
        BenchmarkSpec spec = data.spec();
        if (spec.nonCommercial()) {
            all.add("NON-COMMERCIAL DATA: " + spec.license() + " — results are for research evaluation; do not"
                    + " redistribute the data commercially.");
        }
        if (options.limit() > 0) {
            all.add("PARTIAL RUN: --limit " + options.limit() + " (first items in file order); not comparable with"
                    + " published numbers.");
        }
        if (skipped.total() > 0) {
            all.add("Skipped " + skipped.total() + " item(s); see 'skipped' for reasons.");
        }
        return new BenchmarkResult(
                spec.id(), spec.name(), options, metrics, skipped.snapshot(), all, provenance(), timing, items);
    }

    private Provenance provenance() {
        ModelInfo m = executor.model().info();
        BenchmarkSpec spec = data.spec();
        return new Provenance(
                m.id(),
                m.architecture(),
                m.weightsSha256(),
                m.tokenizerSha256(),
                m.backend(),
                spec.version(),
                data.origin(),
                data.verifiedFiles(),
                spec.license(),
                spec.nonCommercial(),
                options.seed(),
                UNMASK_VERSION,
                System.getProperty("java.version"));
    }

    private static double round(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }
}
