package org.unmask.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.unmask.benchmarks.Benchmark;
import org.unmask.cli.BackendOption;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.Benchmarks;
import org.unmask.benchmarks.ResultWriter;
import org.unmask.report.BenchmarkReport;
import org.unmask.benchmarks.RunOptions;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.ModelLoader;
import org.unmask.models.onnx.OnnxSentenceEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unmask benchmark <id> --model <ref>}: runs one published benchmark and reports it with provenance. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Run a published bias benchmark (see bench-list) on a model, scored as its paper does.",
            "Example: unmask benchmark crows-pairs --model bert-base-uncased --bias-type gender --out results/"})
public final class BenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Benchmark id: crows-pairs, stereoset, seat, winogender,"
            + " winobias, honest.")
    String id;

    @Option(names = {"-m", "--model"}, paramLabel = "REF", description = "Model folder or hub id (default: embedded"
            + " bert-base-uncased); '" + OnnxSentenceEncoder.REF + "' = the ONNX sentence encoder (SEAT only).")
    String model;

    @Option(names = "--backend", defaultValue = "onnx", paramLabel = "ENGINE",
            description = "onnx (ONNX Runtime, fastest) or torch (libtorch via DJL). Default ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--limit", defaultValue = "0", description = "Score only the first N items (0 = all).")
    int limit;

    @Option(names = "--bias-type", paramLabel = "TYPE", description = "Only this bias type / domain.")
    String biasType;

    @Option(names = "--variant", paramLabel = "V", description = "Benchmark-specific: CrowS-Pairs pll-unmodified |"
            + " bias-bench; SEAT comma-separated test names or 'all'; HONEST binary | queer.")
    String variant;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of bootstraps and permutation tests.")
    long seed;

    @Option(names = "--permutations", defaultValue = "100000", description = "SEAT Monte Carlo permutations"
            + " (exact test when there are at most this many partitions; default ${DEFAULT-VALUE}).")
    int permutations;

    @Option(names = "--batch-size", defaultValue = "32", description = "Inputs per model call.")
    int batchSize;

    @Option(names = "--json", description = "Print the full JSON result instead of a table.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write the JSON result and an HTML report into this folder.")
    Path out;

    @Override
    public Integer call() throws UnmaskException {
        if (limit < 0) {
            throw new InvalidInputException("--limit must be >= 0, was " + limit, "");
        }
        Benchmark b = Benchmarks.byId(id);
        RunOptions options = RunOptions.defaults().withLimit(limit).withBiasType(biasType).withVariant(variant)
                .withSeed(seed).withPermutationSamples(permutations);
        PrintWriter err = spec.commandLine().getErr();
        try (LanguageModel lm = OnnxSentenceEncoder.REF.equals(model) ? OnnxSentenceEncoder.loadDefault()
                : ModelLoader.load(model, BackendOption.parse(backend))) {
            RequestExecutor exec = new RequestExecutor(lm, new ExecutorOptions(batchSize, 500_000));
            long[] last = {0};
            BenchmarkResult r = b.run(exec, options, (done, total, unit) -> {
                long now = System.nanoTime();
                if (now - last[0] > 10_000_000_000L || done == total) {
                    last[0] = now;
                    err.printf("%s: %d/%d %s%n", id, done, total, unit);
                    err.flush();
                }
            });
            PrintWriter o = spec.commandLine().getOut();
            o.print(json ? ResultWriter.json(r) + "\n" : ResultWriter.table(r));
            if (out != null) {
                List<Path> files = BenchmarkReport.write(r, out);
                o.println("wrote " + files.get(0) + " and " + files.get(1).getFileName());
            }
            o.flush();
        }
        return 0;
    }
}
