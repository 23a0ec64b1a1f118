package org.unmask.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.TokenScorer;
import org.unmask.core.result.AuditResult;
import org.unmask.mitigation.calibration.SwapAveragingScorer;
import org.unmask.mitigation.cda.AugmentStats;
import org.unmask.mitigation.cda.CdaOptions;
import org.unmask.mitigation.cda.CdaTransform;
import org.unmask.mitigation.cda.CorpusAugmenter;
import org.unmask.mitigation.cda.SwapLexicon;
import org.unmask.mitigation.cost.HeldOutText;
import org.unmask.mitigation.cost.PseudoPerplexity;
import org.unmask.mitigation.experiment.ExperimentSpec;
import org.unmask.models.Backend;
import org.unmask.models.djl.train.FineTuneJob;
import org.unmask.models.djl.train.FineTuneSpec;
import org.unmask.models.djl.train.TrainConfig;
import org.unmask.models.djl.train.Trainer;
import org.unmask.models.djl.train.TrainingData;
import org.unmask.probes.suite.Suite;
import org.unmask.report.AuditReport;

/**
 * Runs a mitigation experiment file: baseline → augment → fine-tune and/or counterfactual averaging → audit every arm
 * (through {@link Audits}) → pseudo-perplexity → compare each arm with the baseline (through {@link Comparisons}).
 * Each step is skipped when its output already exists, so an interrupted experiment resumes when run again.
 */
public final class Experiments {
    /** Seed of the pseudo-perplexity sampling of every arm. */
    private static final long PPPL_SEED = 42;

    private final ModelOpener opener;

    public Experiments(ModelOpener opener) {
        this.opener = opener;
    }

    /** Experiments that open models with {@link ModelOpener#LOADER}. */
    public Experiments() {
        this(ModelOpener.LOADER);
    }

    /** The engine the experiment file names; an unknown name is invalid input naming the choices. */
    public static Backend backend(ExperimentSpec x) throws InvalidInputException {
        try {
            return Backend.parse(x.backend());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--backend: " + e.getMessage(), "choose auto, onnx or torch");
        }
    }

    /** Prints the steps the experiment will take (all of them; done ones are skipped when it runs). */
    public static void plan(ExperimentSpec x, PrintWriter out) {
        out.println("experiment " + x.name() + " -> " + x.out());
        if (x.augment() != null) {
            out.println("  1. augment " + x.augment().input() + " -> " + augmented(x));
        }
        if (x.finetune() != null) {
            out.println("  2. finetune " + (x.baseline() == null ? "bert-base-uncased" : x.baseline()) + " -> "
                    + finetuned(x));
        }
        out.println("  3. audit (" + x.suite() + ") baseline" + (x.finetune() != null ? ", finetuned" : "")
                + (x.counterfactualAveraging() ? ", counterfactual-averaging" : "") + "; pseudo-perplexity on "
                + x.ppplSentences() + " sentences; compare each arm with the baseline");
    }

    /**
     * Runs the experiment.
     *
     * @param out step results and comparisons
     * @param err what is being audited
     * @param training progress of fine-tuning
     */
    public void run(ExperimentSpec x, PrintWriter out, PrintWriter err, Trainer.Listener training)
            throws UnmaskException {
        Backend backend = backend(x);
        Path augmented = augmented(x);
        if (x.augment() != null && !Files.isRegularFile(augmented)) {
            var a = x.augment();
            CdaOptions o = new CdaOptions(
                    a.keepOriginals(),
                    a.dropUnswapped(),
                    a.anonymize(),
                    a.withBolukbasi() ? CdaOptions.WordLists.WINOBIAS_BOLUKBASI : CdaOptions.WordLists.WINOBIAS);
            try {
                AugmentStats s = new CorpusAugmenter(new CdaTransform(o), a.field()).run(a.input(), augmented);
                out.println("augment: " + s.summary());
            } catch (IOException e) {
                throw new InvalidInputException("augment failed: " + e.getMessage(), "", e);
            }
        }
        Path model = finetuned(x);
        if (x.finetune() != null) {
            var f = x.finetune();
            TrainConfig cfg = TrainConfig.of(
                    f.epochs(),
                    f.batchSize(),
                    f.accumulation(),
                    f.lr(),
                    f.warmupRatio(),
                    f.weightDecay(),
                    f.maxGradNorm(),
                    f.maskProbability(),
                    f.dropout(),
                    f.maxLength(),
                    f.seed(),
                    f.checkpointEvery());
            TrainingData.LongText lt;
            try {
                lt = TrainingData.LongText.valueOf(f.longText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                        x.file() + ": finetune.long-text " + f.longText() + " is not error, chunk or truncate", "");
            }
            FineTuneJob.Outcome o = FineTuneJob.run(
                    new FineTuneSpec(
                            x.baseline(), f.data() != null ? f.data() : augmented, f.field(), model, cfg, lt, false),
                    training);
            out.println("finetune: "
                    + (o.alreadyComplete() ? "already complete" : o.result().steps() + " steps"));
        }
        Suite suite = Audits.suite(x.suite(), false);
        Path base = x.out().resolve("audit-baseline");
        arm(x, suite, x.baseline(), false, base, backend, err);
        if (x.finetune() != null) {
            Path ft = x.out().resolve("audit-finetuned");
            arm(x, suite, model.toString(), false, ft, backend, err);
            compare(x, base, ft, "finetuned", out);
        }
        if (x.counterfactualAveraging()) {
            Path avg = x.out().resolve("audit-counterfactual-averaging");
            arm(x, suite, x.baseline(), true, avg, backend, err);
            compare(x, base, avg, "counterfactual-averaging", out);
        }
    }

    /** Audits one arm and measures its pseudo-perplexity, unless already done. */
    private void arm(
            ExperimentSpec x, Suite suite, String ref, boolean averaging, Path dir, Backend backend, PrintWriter err)
            throws UnmaskException {
        boolean audited = Files.isRegularFile(dir.resolve("result.json"));
        boolean costed = x.ppplSentences() == 0 || Files.isRegularFile(dir.resolve("pseudo-perplexity.json"));
        if (audited && costed) {
            return;
        }
        try (LanguageModel raw = opener.open(ref, backend)) {
            LanguageModel lm = raw;
            if (averaging) {
                if (!(raw instanceof TokenScorer ts)) {
                    throw new InvalidInputException(raw.info().id() + " cannot score tokens", "use a masked LM");
                }
                lm = new SwapAveragingScorer(ts, SwapLexicon.winoBias());
            }
            err.println("auditing " + lm.info().id());
            if (!audited) {
                AuditResult r = Audits.run(lm, suite, Audits.Settings.DEFAULT, ProgressListener.NONE, null);
                AuditReport.write(r, dir);
            }
            if (!costed) {
                HeldOutText held = HeldOutText.shipped();
                held = new HeldOutText(
                        held.name(),
                        held.sentences()
                                .subList(
                                        0,
                                        Math.min(
                                                x.ppplSentences(),
                                                held.sentences().size())));
                PseudoPerplexity.Result p = PseudoPerplexity.measure(
                        ExecutorPolicy.PSEUDO_PERPLEXITY.executor(lm), held, PPPL_SEED, ProgressListener.NONE);
                Files.createDirectories(dir);
                PseudoPerplexity.write(dir.resolve(PseudoPerplexity.FILE), p);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + dir + ": " + e.getMessage(), "", e);
        }
    }

    private static void compare(ExperimentSpec x, Path before, Path after, String arm, PrintWriter out)
            throws UnmaskException {
        String text = Comparisons.text(before, after, Comparisons.DEFAULT_SEED);
        try {
            Files.writeString(x.out().resolve("compare-" + arm + ".txt"), text);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write the comparison: " + e.getMessage(), "", e);
        }
        out.print(text);
    }

    private static Path augmented(ExperimentSpec x) {
        return x.augment() == null
                ? null
                : x.out()
                        .resolve("data")
                        .resolve("augmented" + (isJsonl(x.augment().input()) ? ".jsonl" : ".txt"));
    }

    private static Path finetuned(ExperimentSpec x) {
        return x.out().resolve("model-finetuned");
    }

    private static boolean isJsonl(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        return n.endsWith(".jsonl") || n.endsWith(".ndjson");
    }
}
