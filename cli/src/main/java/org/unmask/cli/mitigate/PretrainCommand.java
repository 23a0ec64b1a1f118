package org.unmask.cli.mitigate;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unmask.app.PretrainSpec;
import org.unmask.app.Pretraining;
import org.unmask.cli.ExitCode;
import org.unmask.cli.options.OutOption;
import org.unmask.cli.options.Range;
import org.unmask.cli.options.SeedOption;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.models.djl.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unmask pretrain}: pretrain a small masked LM from scratch on a corpus folder, resumable. */
@Command(
        name = "pretrain",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        resourceBundle = "org.unmask.cli.mitigate.PretrainCommand",
        description = {
            "Pretrain a small BERT-style masked LM or GPT-2-style causal LM from scratch (Hugging Face init,"
                    + " bert-base-uncased's vocabulary) on"
                    + " a corpus folder and write a model folder in Hugging Face layout that audit, fill, pppl and"
                    + " trace read, with provenance naming the corpus content hash and every setting.",
            "Start from a --preset (toy: CI-sized, under a minute on 2 cores; lab: bert-mini, about 15 minutes on 2"
                    + " cores) and override any field. Same options and seed give the same weights bit for bit;"
                    + " re-running the same command resumes from the last checkpoint; Ctrl-C checkpoints and stops."
        })
public final class PretrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--corpus",
            required = true,
            paramLabel = "<dir>",
            description = "folder of .jsonl(.gz|.zst) / .txt(.gz|.zst) / .parquet shards, or one shard")
    Path corpus;

    @Option(names = "--field", defaultValue = "text", description = "JSON text field (default: ${DEFAULT-VALUE})")
    String field;

    @Mixin
    OutOption out = new OutOption();

    @Option(
            names = "--preset",
            defaultValue = "lab",
            description = "starting configuration: toy or lab (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(
            names = "--arch",
            paramLabel = "<name>",
            description = "toy, bert-tiny, bert-mini, bert-small, bert-medium (masked); gpt2-toy, gpt2-small-lab"
                    + " (causal); default: the preset's")
    String arch;

    @Mixin
    SeedOption seed = new SeedOption(42);

    @Option(names = "--steps", paramLabel = "<n>", description = "optimizer steps (default: the preset's)")
    @Range(min = 1, max = 10_000_000)
    Long steps;

    @Option(
            names = "--tokens",
            paramLabel = "<n>",
            description = "train on about n tokens instead of --steps (steps = ceil(n / (batch x seq-length)))")
    @Range(min = 1)
    Long tokens;

    @Option(names = "--seq-length", paramLabel = "<n>", description = "ids per packed block")
    @Range(min = 8, max = 8192)
    Integer seqLength;

    @Option(names = "--batch-size", paramLabel = "<n>", description = "blocks per optimizer step")
    @Range(min = 1, max = 4096)
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "<x>", description = "peak learning rate")
    @Range(min = 0, minExclusive = true, max = 1)
    Double lr;

    @Option(names = "--warmup-ratio", paramLabel = "<x>", description = "warm-up share of steps")
    @Range(min = 0, max = 1, maxExclusive = true)
    Double warmup;

    @Option(names = "--weight-decay", paramLabel = "<x>", description = "AdamW decay")
    @Range(min = 0, max = 1, maxExclusive = true)
    Double weightDecay;

    @Option(names = "--dropout", paramLabel = "<x>", description = "training dropout")
    @Range(min = 0, max = 1, maxExclusive = true)
    Double dropout;

    @Option(names = "--held-out", paramLabel = "<x>", description = "share of documents held out (by text hash)")
    @Range(min = 0, max = 0.5)
    Double heldOut;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "<n>",
            description = "optimizer steps between checkpoints (default: the preset's)")
    @Range(min = 1)
    Integer checkpointEvery;

    @Option(names = "--keep-checkpoints", description = "keep out/checkpoints after the run")
    boolean keepCheckpoints;

    @Option(names = "--dry-run", description = "print the configuration and exit without reading the corpus")
    boolean dryRun;

    @Override
    public Integer call() throws UnmaskException {
        if (out.path() == null) {
            throw new InvalidInputException("--out is required", "name the new model folder");
        }
        if (steps != null && tokens != null) {
            throw new InvalidInputException("--steps and --tokens both set the run's length", "give one of them");
        }
        PretrainSpec p = build(PretrainSpec.preset(preset, corpus, out.path(), seed.value()));
        var w = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        w.printf(
                Locale.ROOT,
                "pretrain %s: %d steps x %d blocks x %d ids (%d tokens), lr %.2e, seed %d -> %s%n",
                p.arch(),
                p.effectiveSteps(),
                p.batchSize(),
                p.seqLength(),
                p.effectiveSteps() * p.batchSize() * p.seqLength(),
                p.learningRate(),
                p.seed(),
                p.out());
        w.flush();
        if (dryRun) {
            return ExitCode.OK.code();
        }
        TrainingProgress bar = new TrainingProgress(err, 1, System.console() != null);
        Pretraining.Outcome o;
        try (CtrlCStop stop = new CtrlCStop("pretrain-interrupt")) {
            o = Pretraining.run(p, new Pretraining.Listener() {
                @Override
                public void onStep(Pretraining.Step s) {
                    bar.update(new Trainer.Progress(
                            s.step(),
                            s.totalSteps(),
                            1,
                            s.loss(),
                            s.learningRate(),
                            s.gradNorm(),
                            s.tokensSeen(),
                            s.tokensPerSecond()));
                }

                @Override
                public void onPhase(String description) {
                    err.println(description);
                    err.flush();
                }

                @Override
                public boolean stopRequested() {
                    return stop.requested();
                }
            });
        }
        var c = o.corpus();
        w.printf(
                Locale.ROOT,
                "corpus: %d shards, %d documents (%d lines skipped), content sha256 %s; %d training blocks, %d"
                        + " held-out blocks%n",
                c.shards().size(),
                c.documents(),
                c.skippedLines(),
                c.contentSha256(),
                o.trainBlocks(),
                o.heldOutBlocks());
        c.skips().stream().limit(5).forEach(s -> w.println("  skipped " + s.describe()));
        if (o.alreadyComplete()) {
            w.println(out.path() + " already holds this finished run; nothing to do");
            return ExitCode.OK.code();
        }
        if (!o.finished()) {
            w.println("stopped after step " + o.steps() + "; checkpoint saved, rerun the same command to resume");
            return ExitCode.INTERRUPTED.code();
        }
        List<Double> losses = o.losses();
        w.printf(
                Locale.ROOT,
                "trained %d steps (resumed from %d), %d tokens, %.0f tokens/s (%.0f s wall, %.0f CPU-s); loss %.4f ->"
                        + " %.4f, held-out loss %s; wrote %s%n",
                o.steps(),
                o.resumedFrom(),
                o.tokensSeen(),
                o.tokensPerSecond(),
                o.trainSeconds(),
                o.trainCpuSeconds(),
                losses.get(0),
                losses.get(losses.size() - 1),
                Double.isNaN(o.heldOutLoss()) ? "n/a" : String.format(Locale.ROOT, "%.4f", o.heldOutLoss()),
                out.path());
        return c.skippedLines() > 0 ? ExitCode.PARTIAL.code() : ExitCode.OK.code();
    }

    private PretrainSpec build(PretrainSpec base) {
        long st = steps != null ? steps : tokens != null ? 0 : base.steps();
        long tk = tokens != null ? tokens : 0;
        return new PretrainSpec(
                base.corpus(),
                field,
                arch != null ? arch : base.arch(),
                base.out(),
                base.seed(),
                st,
                tk,
                seqLength != null ? seqLength : base.seqLength(),
                batchSize != null ? batchSize : base.batchSize(),
                lr != null ? lr : base.learningRate(),
                warmup != null ? warmup : base.warmupRatio(),
                weightDecay != null ? weightDecay : base.weightDecay(),
                base.maxGradNorm(),
                base.maskProbability(),
                dropout != null ? dropout : base.dropout(),
                heldOut != null ? heldOut : base.heldOutFraction(),
                base.heldOutBlocks(),
                checkpointEvery != null ? checkpointEvery : base.checkpointEvery(),
                keepCheckpoints);
    }
}
