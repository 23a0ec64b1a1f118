package org.unmask.cli.mitigate;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unmask.cli.ExitCode;
import org.unmask.cli.options.ModelOption;
import org.unmask.cli.options.OutOption;
import org.unmask.cli.options.Range;
import org.unmask.cli.options.SeedOption;
import org.unmask.core.error.UnmaskException;
import org.unmask.models.djl.train.FineTuneJob;
import org.unmask.models.djl.train.FineTuneSpec;
import org.unmask.models.djl.train.Objective;
import org.unmask.models.djl.train.TrainConfig;
import org.unmask.models.djl.train.TrainPerf;
import org.unmask.models.djl.train.Trainer;
import org.unmask.models.djl.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unmask finetune}: fine-tuning of any architecture Unmask loads on DJL/libtorch, resumable: masked LM for
 * BERT/RoBERTa/DistilBERT, next token for the causal LMs (the objective follows the architecture).
 */
@Command(
        name = "finetune",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        resourceBundle = "org.unmask.cli.mitigate.FinetuneCommand",
        description = {
            "Fine-tune a model (e.g. on a counterfactually augmented corpus) and write a new model folder in"
                    + " Hugging Face layout with provenance: BERT, RoBERTa and DistilBERT as masked LMs (15%% masking"
                    + " with 80/10/10), GPT-2, Llama/Mistral/Qwen2, OLMo, OLMo-2 and BLOOM as causal LMs (next"
                    + " token).",
            "AdamW (no decay on biases/norms), linear warm-up and decay, global-norm clipping, gradient"
                    + " accumulation, dropout where Hugging Face applies it; seeded. Re-running the same command"
                    + " resumes from the last checkpoint; Ctrl-C checkpoints and stops."
        })
public final class FinetuneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model = new ModelOption();

    @Option(
            names = "--data",
            required = true,
            paramLabel = "<file>",
            description = ".txt (one document per line) or .jsonl(.gz)")
    Path data;

    @Option(names = "--field", defaultValue = "text", description = "JSON text field (default: ${DEFAULT-VALUE})")
    String field;

    @Mixin
    OutOption out = new OutOption();

    @Option(names = "--epochs", defaultValue = "3", description = "passes over the data (default: ${DEFAULT-VALUE})")
    @Range(min = 1, max = 1000)
    int epochs;

    @Option(
            names = "--batch-size",
            defaultValue = "8",
            description = "sequences per micro-batch (default: ${DEFAULT-VALUE})")
    @Range(min = 1, max = 4096)
    int batchSize;

    @Option(
            names = "--accumulation",
            defaultValue = "1",
            description = "micro-batches per optimizer step (default: ${DEFAULT-VALUE})")
    @Range(min = 1, max = 1024)
    int accumulation;

    @Option(names = "--lr", defaultValue = "5e-5", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    @Range(min = 0, minExclusive = true, max = 1)
    double lr;

    @Option(
            names = "--warmup-ratio",
            defaultValue = "0.06",
            description = "warm-up share of steps (default: ${DEFAULT-VALUE})")
    @Range(min = 0, max = 1, maxExclusive = true)
    double warmup;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "AdamW decay (default: ${DEFAULT-VALUE})")
    @Range(min = 0, max = 1, maxExclusive = true)
    double weightDecay;

    @Option(
            names = "--max-grad-norm",
            defaultValue = "1.0",
            description = "global-norm clip (default: ${DEFAULT-VALUE})")
    @Range(min = 0, minExclusive = true)
    double maxGradNorm;

    @Option(
            names = "--mask-probability",
            defaultValue = "0.15",
            description = "MLM selection rate (default: ${DEFAULT-VALUE})")
    @Range(min = 0, minExclusive = true, max = 1, maxExclusive = true)
    double maskProbability;

    @Option(
            names = "--dropout",
            paramLabel = "<p>",
            description = "dropout probability at every site where Hugging Face applies it (default: the rates"
                    + " config.json names, e.g. 0.1 for BERT and GPT-2, 0 for Llama)")
    @Range(min = 0, max = 1, maxExclusive = true)
    Double dropout;

    @Option(
            names = "--objective",
            paramLabel = "mlm|causal",
            description = "training objective (default: from the architecture; an objective it cannot train is an"
                    + " error)")
    String objective;

    @Option(
            names = "--max-length",
            defaultValue = "128",
            description = "tokens per sequence (default: ${DEFAULT-VALUE})")
    @Range(min = 8, max = 8192)
    int maxLength;

    @Option(
            names = "--long-text",
            defaultValue = "error",
            description = "longer documents: error, chunk or truncate (default: ${DEFAULT-VALUE})")
    String longText;

    @Mixin
    SeedOption seed = new SeedOption(42);

    @Option(
            names = "--checkpoint-every",
            defaultValue = "50",
            description = "optimizer steps between checkpoints (default: ${DEFAULT-VALUE})")
    @Range(min = 1)
    int checkpointEvery;

    @Option(names = "--keep-checkpoints", description = "keep out/checkpoints after the run")
    boolean keepCheckpoints;

    @Option(
            names = "--perf-steps",
            defaultValue = "0",
            paramLabel = "<n>",
            description = "instead of training: time n steps of --batch-size x --max-length windows of --data"
                    + " (after 1 warm-up step) and print tokens/s and GFLOP/s; writes nothing")
    @Range(min = 0, max = 100_000)
    int perfSteps;

    /** The old name of {@code --perf-steps}, kept hidden for one release ("benchmark" means a bias benchmark). */
    @Option(names = "--benchmark-steps", hidden = true, paramLabel = "<n>")
    @Range(min = 0, max = 100_000)
    Integer deprecatedBenchmarkSteps;

    @Override
    public Integer call() throws UnmaskException {
        int steps = perfSteps;
        if (deprecatedBenchmarkSteps != null) {
            if (perfSteps > 0) {
                throw new org.unmask.core.error.InvalidInputException(
                        "--benchmark-steps and --perf-steps are the same option", "give --perf-steps only");
            }
            spec.commandLine()
                    .getErr()
                    .println("warning: `--benchmark-steps` is deprecated; use `--perf-steps` (same meaning)");
            spec.commandLine().getErr().flush();
            steps = deprecatedBenchmarkSteps;
        }
        if (steps > 0) {
            return perf(steps);
        }
        if (out.path() == null) {
            throw new org.unmask.core.error.InvalidInputException("--out is required", "name the new model folder");
        }
        TrainConfig cfg = TrainConfig.of(
                epochs,
                batchSize,
                accumulation,
                lr,
                warmup,
                weightDecay,
                maxGradNorm,
                maskProbability,
                dropout == null ? TrainConfig.DROPOUT_FROM_CONFIG : dropout,
                maxLength,
                seed.value(),
                checkpointEvery);
        TrainingData.LongText lt = parseLongText(longText);
        Objective obj = objective == null ? null : Objective.parse(objective);
        var err = spec.commandLine().getErr();
        var outW = spec.commandLine().getOut();
        TrainingProgress bar = new TrainingProgress(err, epochs, System.console() != null);
        FineTuneJob.Outcome o;
        try (CtrlCStop stop = new CtrlCStop("finetune-interrupt")) {
            o = FineTuneJob.run(
                    new FineTuneSpec(model.ref(), data, field, out.path(), cfg, lt, keepCheckpoints, obj),
                    new Trainer.Listener() {
                        @Override
                        public void onStep(Trainer.Progress p) {
                            bar.update(p);
                        }

                        @Override
                        public boolean stopRequested() {
                            return stop.requested();
                        }
                    });
        }
        if (o.alreadyComplete()) {
            outW.println(out.path() + " already holds this finished run; nothing to do");
            return ExitCode.OK.code();
        }
        var d = o.data();
        outW.printf(
                Locale.ROOT,
                "data: %d documents -> %d sequences, %d tokens (chunked %d, truncated %d, skipped %d" + " lines)%n",
                d.documents(),
                d.sequences().size(),
                d.tokens(),
                d.chunked(),
                d.truncated(),
                d.skipped());
        if (!o.result().finished()) {
            outW.println("stopped after step " + o.result().steps() + "; checkpoint saved, rerun the same command to"
                    + " resume");
            return ExitCode.INTERRUPTED.code();
        }
        var losses = o.result().losses();
        outW.printf(
                Locale.ROOT,
                "trained %d steps (resumed from %d), loss %.4f -> %.4f; wrote %s (%s)%n",
                o.result().steps(),
                o.result().resumedFrom(),
                losses.get(0),
                losses.get(losses.size() - 1),
                out.path(),
                FineTuneJob.PROVENANCE);
        return d.skipped() > 0 ? ExitCode.PARTIAL.code() : ExitCode.OK.code();
    }

    private int perf(int steps) throws UnmaskException {
        TrainPerf.Result r;
        try {
            r = TrainPerf.run(model.ref(), data, batchSize, maxLength, 1, steps);
        } catch (java.io.IOException e) {
            throw new org.unmask.core.error.InvalidInputException("cannot read " + data + ": " + e.getMessage(), "", e);
        }
        var w = spec.commandLine().getOut();
        for (TrainPerf.Step s : r.steps()) {
            w.printf(
                    Locale.ROOT,
                    "step: forward %.0f ms, backward %.0f ms, clip+update %.0f ms, total %.0f ms;"
                            + " other processes used %.2f cores%n",
                    s.forwardMs(),
                    s.backwardMs(),
                    s.updateMs(),
                    s.totalMs(),
                    s.othersCores());
        }
        w.printf(
                Locale.ROOT,
                "%s, batch %d x %d: median %.0f ms/step, %.0f tokens/s, %.1f GFLOP/s (3 x %.1f GFLOP"
                        + " forward per step)%n",
                r.model(),
                r.batch(),
                r.length(),
                r.medianMs(),
                r.tokensPerSecond(),
                r.gflops(),
                r.forwardGflop());
        return ExitCode.OK.code();
    }

    private static TrainingData.LongText parseLongText(String s) throws UnmaskException {
        try {
            return TrainingData.LongText.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new org.unmask.core.error.InvalidInputException(
                    "--long-text " + s + " is not one of error, chunk," + " truncate",
                    "pick one of error, chunk, truncate");
        }
    }
}
