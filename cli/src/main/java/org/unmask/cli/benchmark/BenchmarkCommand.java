package org.unmask.cli.benchmark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.unmask.app.ExecutorPolicy;
import org.unmask.benchmarks.Benchmark;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.Benchmarks;
import org.unmask.benchmarks.ResultWriter;
import org.unmask.benchmarks.RunOptions;
import org.unmask.cli.options.BackendOption;
import org.unmask.cli.options.BatchSizeOption;
import org.unmask.cli.options.JsonOption;
import org.unmask.cli.options.ModelOption;
import org.unmask.cli.options.OutOption;
import org.unmask.cli.options.PrecisionOption;
import org.unmask.cli.options.Range;
import org.unmask.cli.options.SeedOption;
import org.unmask.core.engine.GenerationJournal;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.ModelLoader;
import org.unmask.models.onnx.OnnxSentenceEncoder;
import org.unmask.report.BenchmarkReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unmask benchmark <id> --model <ref>}: runs one published benchmark and reports it with provenance. */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        resourceBundle = "org.unmask.cli.benchmark.BenchmarkCommand",
        description = {
            "Run a published bias benchmark (see bench-list) on a model, scored as its paper does.",
            "Example: unmask benchmark crows-pairs --model bert-base-uncased --bias-type gender --out results/"
        })
public final class BenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "ID",
            description = "Benchmark id: crows-pairs, stereoset, seat, winogender," + " winobias, honest, bbq, bold.")
    String id;

    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    BackendOption backend = new BackendOption();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(
            names = "--limit",
            defaultValue = "0",
            description = "Score only the first N items (0 = all); BBQ: the"
                    + " first N of every category, BOLD: the first N prompts of every group.")
    @Range(min = 0)
    int limit;

    @Option(names = "--bias-type", paramLabel = "TYPE", description = "Only this bias type / domain.")
    String biasType;

    @Option(
            names = "--variant",
            paramLabel = "V",
            description = "Benchmark-specific: CrowS-Pairs pll-unmodified |"
                    + " bias-bench; SEAT comma-separated test names or 'all'; HONEST binary | queer; BBQ mc | chat;"
                    + " BOLD base | chat.")
    String variant;

    @Mixin
    SeedOption seed = new SeedOption(0);

    @Option(
            names = "--permutations",
            defaultValue = "100000",
            description = "SEAT Monte Carlo permutations"
                    + " (exact test when there are at most this many partitions; default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 100_000_000)
    int permutations;

    @Mixin
    BatchSizeOption batchSize = new BatchSizeOption();

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    OutOption out = new OutOption();

    @Override
    public Integer call() throws UnmaskException {
        Benchmark b = Benchmarks.byId(id);
        RunOptions options = RunOptions.defaults()
                .withLimit(limit)
                .withBiasType(biasType)
                .withVariant(variant)
                .withSeed(seed.value())
                .withPermutationSamples(permutations);
        PrintWriter err = spec.commandLine().getErr();
        try (LanguageModel lm = OnnxSentenceEncoder.REF.equals(model.ref())
                ? OnnxSentenceEncoder.loadDefault()
                : ModelLoader.load(model.ref(), backend.engine(), precision.precision())) {
            RequestExecutor exec = ExecutorPolicy.BENCHMARK.executor(lm, batchSize.value());
            // sampling benchmarks (BOLD) keep their continuations in --out as they go, so a stopped run resumes
            GenerationJournal journal = out.path() == null
                    ? null
                    : GenerationJournal.open(
                            out.path().resolve("." + id + "-generations.jsonl"),
                            GenerationJournal.modelKey(lm.info())); // another precision samples other texts
            if (journal != null) {
                exec.useJournal(journal);
            }
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
            o.print(json.on() ? ResultWriter.json(r) : ResultWriter.table(r));
            if (out.path() != null) {
                List<Path> files = BenchmarkReport.write(r, out.path());
                o.println("wrote " + files.get(0) + " and " + files.get(1).getFileName());
                deleteQuietly(journal);
            }
            o.flush();
        }
        return 0;
    }

    /** The journal served a run whose results are written; a leftover file only costs disk, so it may stay. */
    private static void deleteQuietly(GenerationJournal journal) {
        try {
            journal.delete();
        } catch (java.io.IOException e) {
            // the results are written; the next run of the same requests would just read the journal again
        }
    }
}
