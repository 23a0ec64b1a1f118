package org.unmask.cli.perf;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.unmask.cli.options.BackendOption;
import org.unmask.cli.options.BatchSizeOption;
import org.unmask.cli.options.ModelOption;
import org.unmask.cli.options.PrecisionOption;
import org.unmask.cli.options.Range;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.TokenScorer;
import org.unmask.models.ModelLoader;
import org.unmask.models.Precision;
import org.unmask.models.djl.causal.CausalPerf;
import org.unmask.models.djl.causal.DecoderLm;
import org.unmask.models.djl.causal.SyntheticGpt2;
import org.unmask.models.djl.causal.SyntheticLlamaCheckpoint;
import org.unmask.models.onnxgen.BertOnnxExport;
import org.unmask.models.onnxgen.OrtCausalLm;
import org.unmask.models.perf.FillMaskPeers;
import org.unmask.models.perf.FillMaskPerf;
import org.unmask.models.perf.ProcessMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unmask perf fill-mask|causal}: throughput of the model hot paths, with ratios to this machine's limits
 * (a speed measurement; bias benchmarks are {@code unmask benchmark}).
 * {@code causal} without {@code --model} writes a GPT-2-small-shaped checkpoint with random weights to a temporary
 * folder (no causal LM ships with Unmask; the arithmetic, and so the timing, does not depend on the values).
 */
@Command(
        name = "perf",
        mixinStandardHelpOptions = true,
        resourceBundle = "org.unmask.cli.perf.PerfCommand",
        description = "Measure the speed of a hot path and print throughput and its ratio to this machine's limits.")
public class PerfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "WHAT", description = "fill-mask (masked LM) or causal (next-token scoring, generation)")
    String what;

    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    BackendOption backend = new BackendOption();

    @Option(names = "--windows", defaultValue = "5", description = "Timed windows per point (median reported).")
    @Range(min = 1, max = 1000)
    int windows;

    @Option(names = "--seconds", defaultValue = "3", description = "Seconds per window.")
    @Range(min = 0, minExclusive = true, max = 3600)
    double seconds;

    @Option(
            names = "--max-others",
            defaultValue = "0.15",
            description = "Re-run a window when other processes used more cores than this (default ${DEFAULT-VALUE}).")
    @Range(min = 0)
    double maxOthers;

    @Option(
            names = "--checkpoint",
            paramLabel = "DIR",
            description = "causal: write the random GPT-2-small checkpoint to DIR (or reuse the one there) and keep"
                    + " it, so tools/peers/causal_peers.py can run the same weights.")
    Path checkpoint;

    @Option(names = "--batches", split = ",", defaultValue = "1,8,32", description = "Batch sizes.")
    @Range(min = 1, max = BatchSizeOption.MAX)
    int[] batches;

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(
            names = "--shape",
            paramLabel = "SHAPE",
            description = "causal: load a random BF16 checkpoint of this shape (llama2-7b: 13.5 GB, written once to"
                    + " the Unmask cache) and report peak resident memory against --memory-budget.")
    String shape;

    @Option(names = "--layers", description = "With --shape: this many layers instead of the shape's.")
    @Range(min = 1, max = 1000)
    Integer layers;

    @Option(
            names = "--memory-budget",
            defaultValue = "16",
            paramLabel = "GB",
            description =
                    "With --shape: the resident-memory budget the peak is compared with (default ${DEFAULT-VALUE}).")
    @Range(min = 0, minExclusive = true)
    double memoryBudget;

    @Option(
            names = "--keep-checkpoint",
            description = "With --shape: keep the random checkpoint (and its int8 weights) in the cache for the next"
                    + " run (default: delete).")
    boolean keepCheckpoint;

    @Option(names = "--new-tokens", defaultValue = "64", description = "causal: tokens generated per measurement.")
    @Range(min = 1, max = 4096)
    int newTokens;

    @Option(names = "--samples", defaultValue = "16", description = "causal: samples of one prompt in one batch.")
    @Range(min = 1, max = 1024)
    int samples;

    @Option(
            names = "--sentences-out",
            paramLabel = "FILE",
            description = "fill-mask: also write the benchmark's sentences (text, token ids) as JSON, for the peer"
                    + " script tools/peers/fill_mask_peers.py.")
    Path sentencesOut;

    @Option(
            names = "--peers",
            paramLabel = "FILE",
            description = "fill-mask: peer results from tools/peers/fill_mask_peers.py; prints Unmask's ratio to each.")
    Path peers;

    @Override
    public Integer call() throws UnmaskException {
        PrintWriter out = spec.commandLine().getOut();
        if ("causal".equals(what)) {
            return causal(out);
        }
        if (!"fill-mask".equals(what)) {
            throw new InvalidInputException("unknown benchmark \"" + what + "\"", "available: fill-mask, causal");
        }
        if (shape != null) {
            throw new InvalidInputException("--shape applies to `perf causal` only", "drop --shape");
        }
        if (!BertOnnxExport.supports(precision.precision())) {
            // refused before minutes of loading and measuring; ModelLoader says the same for other commands
            throw new InvalidInputException(
                    "--precision " + precision.precision().label() + " is not available for `perf fill-mask`",
                    "masked LMs run in fp32 or int8 (ONNX Runtime)");
        }
        // read the peers first: a bad file must fail before minutes of measuring
        FillMaskPeers.Peers peerResults = peers == null ? null : FillMaskPeers.read(peers);
        try (LanguageModel lm = ModelLoader.load(model.ref(), backend.engine(), precision.precision())) {
            if (!(lm instanceof TokenScorer scorer)) {
                throw new InvalidInputException(lm.info().id() + " cannot fill masks", "use a masked LM");
            }
            if (sentencesOut != null) {
                FillMaskPerf.writeSentences(scorer, sentencesOut);
            }
            out.printf(
                    "fill-mask benchmark: %s on %s, %d cores%n",
                    lm.info().id(), lm.info().backend(), Runtime.getRuntime().availableProcessors());
            FillMaskPerf.Result r =
                    FillMaskPerf.run(scorer, new FillMaskPerf.Options(windows, seconds, batches, maxOthers), out);
            if (peerResults != null) {
                FillMaskPeers.print(r, peerResults, out);
            }
        }
        return 0;
    }

    private Integer causal(PrintWriter out) throws UnmaskException {
        CausalPerf.Options o = new CausalPerf.Options(seconds, windows, batches, 12, newTokens, samples, maxOthers);
        Precision p = precision.precision();
        if (shape != null) {
            if (model.ref() != null) {
                throw new InvalidInputException("--shape and --model exclude each other", "give one of them");
            }
            return shaped(out, o, p);
        }
        if (model.ref() != null) {
            try (LanguageModel lm = ModelLoader.load(model.ref(), backend.engine(), p)) {
                if (!(lm instanceof DecoderLm causal)) {
                    throw new InvalidInputException(
                            lm.info().id() + " is not a causal LM",
                            "give a GPT-2, Llama, Mistral, OLMo or BLOOM folder, or no --model");
                }
                CausalPerf.run(causal, o, CausalPerf.Limits.measure(), out);
            }
            return 0;
        }
        Path dir = null;
        try {
            if (checkpoint != null && Files.isRegularFile(checkpoint.resolve("config.json"))) {
                out.println("benchmarking the random GPT-2-small-shaped checkpoint in " + checkpoint);
            } else {
                dir = checkpoint != null
                        ? Files.createDirectories(checkpoint)
                        : Files.createTempDirectory("unmask-perf-gpt2");
                out.println("writing a GPT-2-small-shaped checkpoint with random weights to " + dir + " ...");
                out.flush();
                SyntheticGpt2.write(dir, SyntheticGpt2.Shape.GPT2_SMALL, 3);
            }
            if (checkpoint != null) {
                dir = null; // kept for the peer script (tools/peers/causal_peers.py) and later runs
            }
            Path bench = checkpoint != null ? checkpoint : dir;
            try (LanguageModel lm = ModelLoader.load(
                    "gpt2-small-random", bench, Map.of(), backend.engine(), ModelLoader.cacheRoot(), p)) {
                CausalPerf.run((DecoderLm) lm, o, CausalPerf.Limits.measure(), out);
            }
            return 0;
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write the benchmark checkpoint: " + e.getMessage(),
                    "free ~500 MB in the temporary folder (java.io.tmpdir) or pass --model");
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * The memory benchmark: a random Llama-shaped BF16 checkpoint (written once, streamed), loaded in the asked
     * precision, its peak resident memory after loading and after the speed points against the budget.
     */
    private Integer shaped(PrintWriter out, CausalPerf.Options o, Precision p) throws UnmaskException {
        SyntheticLlamaCheckpoint.Shape s = SyntheticLlamaCheckpoint.Shape.named(shape);
        s = layers == null ? s : s.withLayers(layers);
        Path root = ModelLoader.cacheRoot();
        Path dir = SyntheticLlamaCheckpoint.folder(root, s, 3);
        out.printf(
                "random %s checkpoint: %.2f B parameters, %.1f GB in BF16, in %s%n",
                s.name(), s.parameters() / 1e9, s.bf16Bytes() / 1e9, dir);
        out.flush();
        Path derived = null;
        try {
            long t0 = System.nanoTime();
            boolean reused = SyntheticLlamaCheckpoint.isComplete(dir);
            SyntheticLlamaCheckpoint.ensure(root, s, 3, 2L << 30);
            out.printf("checkpoint %s in %.1f s%n", reused ? "reused" : "written", (System.nanoTime() - t0) / 1e9);
            CausalPerf.Limits limits = CausalPerf.Limits.measure(); // its 512 MB probe before the model, not on top
            out.flush();
            System.gc();
            ProcessMemory.resetPeak(); // the peak that counts is loading and running, not writing or probing
            t0 = System.nanoTime();
            try (LanguageModel lm = ModelLoader.load(s.name() + "-random", dir, Map.of(), backend.engine(), root, p)) {
                out.printf("loaded in %.1f s as %s%n", (System.nanoTime() - t0) / 1e9, p.describe());
                if (lm instanceof OrtCausalLm ort) {
                    derived = ort.exportFolder();
                    out.printf("graph%s in %s%n", p == Precision.FP32 ? "" : " and quantised weights", derived);
                }
                CausalPerf.memory("after loading", memoryBudget * 1e9, out);
                out.flush();
                CausalPerf.run((DecoderLm) lm, o, limits, out);
                CausalPerf.memory("after scoring and generating", memoryBudget * 1e9, out);
            }
            return 0;
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write the random checkpoint in " + dir + ": " + e.getMessage(),
                    "free disk space there or set UNMASK_CACHE to another folder");
        } finally {
            if (!keepCheckpoint) {
                deleteQuietly(dir);
                deleteQuietly(derived); // its int8 weights are ~1.1 bytes a parameter of disk, useless without it
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("warning: could not delete " + dir + ": " + e.getMessage());
        }
    }

    /**
     * {@code unmask bench}: the old name of {@link PerfCommand}, kept for one release (it collided with the bias
     * benchmarks of {@code unmask benchmark}); runs the same measurement after a one-line note on stderr.
     */
    @Command(
            name = "bench",
            hidden = true,
            mixinStandardHelpOptions = true,
            resourceBundle = "org.unmask.cli.perf.PerfCommand",
            description = "Deprecated name of `unmask perf` (removed in the next release).")
    public static final class DeprecatedBench extends PerfCommand {
        @Override
        public Integer call() throws UnmaskException {
            spec.commandLine()
                    .getErr()
                    .println("warning: `unmask bench` is deprecated; use `unmask perf` (same options)");
            spec.commandLine().getErr().flush();
            return super.call();
        }
    }
}
