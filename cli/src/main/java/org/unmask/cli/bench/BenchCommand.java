package org.unmask.cli.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.TokenScorer;
import org.unmask.cli.BackendOption;
import org.unmask.models.ModelLoader;
import org.unmask.models.bench.FillMaskBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unmask bench fill-mask}: throughput of the hot paths, with ratios to this machine's limits. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a hot path and print throughput and its ratio to this machine's limits.")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "WHAT", description = "fill-mask")
    String what;

    @Option(names = {"-m", "--model"}, paramLabel = "REF", description = "Model (default: embedded bert-base-uncased).")
    String model;

    @Option(names = "--backend", defaultValue = "onnx", paramLabel = "ENGINE",
            description = "onnx (ONNX Runtime, fastest) or torch (libtorch via DJL). Default ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--windows", defaultValue = "5", description = "Timed windows per point (median reported).")
    int windows;

    @Option(names = "--seconds", defaultValue = "3", description = "Seconds per window.")
    double seconds;

    @Option(names = "--max-others", defaultValue = "0.15",
            description = "Re-run a window when other processes used more cores than this (default ${DEFAULT-VALUE}).")
    double maxOthers;

    @Option(names = "--batches", split = ",", defaultValue = "1,8,32", description = "Batch sizes.")
    int[] batches;

    @Override
    public Integer call() throws UnmaskException {
        if (!"fill-mask".equals(what)) {
            throw new InvalidInputException("unknown benchmark \"" + what + "\"", "available: fill-mask");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (LanguageModel lm = ModelLoader.load(model, BackendOption.parse(backend))) {
            if (!(lm instanceof TokenScorer scorer)) {
                throw new InvalidInputException(lm.info().id() + " cannot fill masks", "use a masked LM");
            }
            out.printf("fill-mask benchmark: %s on %s, %d cores%n", lm.info().id(), lm.info().backend(),
                    Runtime.getRuntime().availableProcessors());
            FillMaskBenchmark.run(scorer, new FillMaskBenchmark.Options(windows, seconds, batches, maxOthers), out);
        }
        return 0;
    }
}
