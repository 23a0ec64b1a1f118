package org.unmask.cli.mitigate;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unmask.cli.options.BackendOption;
import org.unmask.cli.options.SeedOption;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
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
import org.unmask.models.ModelLoader;
import org.unmask.models.djl.train.FineTuneJob;
import org.unmask.models.djl.train.FineTuneSpec;
import org.unmask.models.djl.train.TrainConfig;
import org.unmask.models.djl.train.TrainingData;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;
import org.unmask.report.AuditReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unmask experiment}: runs an experiment file (baseline → augment → fine-tune and/or counterfactual
 * averaging → audit every arm → pseudo-perplexity → compare). Each step is skipped when its output already exists,
 * so an interrupted experiment is resumed by running it again.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run a mitigation experiment file (YAML): baseline -> mitigation -> audit -> compare in one go.",
            "Steps whose outputs exist are skipped, so re-running resumes. --dry-run prints the plan."})
public final class ExperimentCommand implements Callable<Integer> {
    private static final long AUDIT_SEED = 20241129L;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file.yaml>", description = "the experiment file")
    Path file;

    @Option(names = "--dry-run", description = "print the steps without running them")
    boolean dryRun;

    @Override
    public Integer call() throws UnmaskException {
        ExperimentSpec x = ExperimentSpec.read(file);
        PrintWriter out = spec.commandLine().getOut();
        Backend backend = BackendOption.parse(x.backend());
        Path augmented = x.augment() == null ? null : x.out().resolve("data").resolve(
                "augmented" + (isJsonl(x.augment().input()) ? ".jsonl" : ".txt"));
        Path model = x.out().resolve("model-finetuned");
        out.println("experiment " + x.name() + " -> " + x.out());
        if (x.augment() != null) {
            out.println("  1. augment " + x.augment().input() + " -> " + augmented);
        }
        if (x.finetune() != null) {
            out.println("  2. finetune " + (x.baseline() == null ? "bert-base-uncased" : x.baseline()) + " -> " + model);
        }
        out.println("  3. audit (" + x.suite() + ") baseline" + (x.finetune() != null ? ", finetuned" : "")
                + (x.counterfactualAveraging() ? ", counterfactual-averaging" : "") + "; pseudo-perplexity on "
                + x.ppplSentences() + " sentences; compare each arm with the baseline");
        if (dryRun) {
            return 0;
        }
        if (x.augment() != null && !Files.isRegularFile(augmented)) {
            var a = x.augment();
            CdaOptions o = new CdaOptions(a.keepOriginals(), a.dropUnswapped(), a.anonymize(),
                    a.withBolukbasi() ? CdaOptions.WordLists.WINOBIAS_BOLUKBASI : CdaOptions.WordLists.WINOBIAS);
            try {
                AugmentStats s = new CorpusAugmenter(new CdaTransform(o), a.field()).run(a.input(), augmented);
                out.println("augment: " + s.summary());
            } catch (IOException e) {
                throw new InvalidInputException("augment failed: " + e.getMessage(), "", e);
            }
        }
        if (x.finetune() != null) {
            var f = x.finetune();
            TrainConfig cfg = TrainConfig.of(f.epochs(), f.batchSize(), f.accumulation(), f.lr(), f.warmupRatio(),
                    f.weightDecay(), f.maxGradNorm(), f.maskProbability(), f.dropout(), f.maxLength(), f.seed(),
                    f.checkpointEvery());
            TrainingData.LongText lt;
            try {
                lt = TrainingData.LongText.valueOf(f.longText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(file + ": finetune.long-text " + f.longText() + " is not error, chunk"
                        + " or truncate", "");
            }
            TrainingProgress bar = new TrainingProgress(spec.commandLine().getErr(), f.epochs(), System.console() != null);
            FineTuneJob.Outcome o = FineTuneJob.run(new FineTuneSpec(x.baseline(), f.data() != null ? f.data()
                    : augmented, f.field(), model, cfg, lt, false), bar::update);
            out.println("finetune: " + (o.alreadyComplete() ? "already complete" : o.result().steps() + " steps"));
        }
        Suite suite = loadSuite(x.suite());
        Path base = x.out().resolve("audit-baseline");
        arm(x, suite, x.baseline(), false, base, backend);
        if (x.finetune() != null) {
            Path ft = x.out().resolve("audit-finetuned");
            arm(x, suite, model.toString(), false, ft, backend);
            compare(x, base, ft, "finetuned");
        }
        if (x.counterfactualAveraging()) {
            Path avg = x.out().resolve("audit-counterfactual-averaging");
            arm(x, suite, x.baseline(), true, avg, backend);
            compare(x, base, avg, "counterfactual-averaging");
        }
        return 0;
    }

    /** Audits one arm and measures its pseudo-perplexity, unless already done. */
    private void arm(ExperimentSpec x, Suite suite, String ref, boolean averaging, Path dir, Backend backend)
            throws UnmaskException {
        boolean audited = Files.isRegularFile(dir.resolve("result.json"));
        boolean costed = x.ppplSentences() == 0 || Files.isRegularFile(dir.resolve("pseudo-perplexity.json"));
        if (audited && costed) {
            return;
        }
        try (LanguageModel raw = ModelLoader.load(ref, backend)) {
            LanguageModel lm = raw;
            if (averaging) {
                if (!(raw instanceof TokenScorer ts)) {
                    throw new InvalidInputException(raw.info().id() + " cannot score tokens", "use a masked LM");
                }
                lm = new SwapAveragingScorer(ts, SwapLexicon.winoBias());
            }
            spec.commandLine().getErr().println("auditing " + lm.info().id());
            if (!audited) {
                RequestExecutor ex = new RequestExecutor(lm, new ExecutorOptions(32, 200_000));
                AuditResult r = new AuditEngine().run(new AuditSpec(suite, AUDIT_SEED, 2000,
                        AuditSpec.of(suite).permutations(), ProgressListener.NONE), ex);
                AuditReport.write(r, dir);
            }
            if (!costed) {
                HeldOutText held = HeldOutText.shipped();
                held = new HeldOutText(held.name(), held.sentences().subList(0,
                        Math.min(x.ppplSentences(), held.sentences().size())));
                PseudoPerplexity.Result p = PseudoPerplexity.measure(
                        new RequestExecutor(lm, new ExecutorOptions(32, 0)), held, 42, ProgressListener.NONE);
                PseudoPerplexity.write(dir.resolve(PseudoPerplexity.FILE), p);
            }
        }
    }

    private void compare(ExperimentSpec x, Path before, Path after, String arm) throws UnmaskException {
        StringWriter sw = new StringWriter();
        CompareCommand c = new CompareCommand();
        c.a = before;
        c.b = after;
        c.seed = new SeedOption(42);
        c.print(new PrintWriter(sw));
        try {
            Files.writeString(x.out().resolve("compare-" + arm + ".txt"), sw.toString());
        } catch (IOException e) {
            throw new InvalidInputException("cannot write the comparison: " + e.getMessage(), "", e);
        }
        spec.commandLine().getOut().print(sw);
    }

    private static Suite loadSuite(String s) throws InvalidInputException {
        Path p = Path.of(s);
        return Files.exists(p) ? SuiteLoader.load(p) : SuiteLoader.builtin(s);
    }

    private static boolean isJsonl(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        return n.endsWith(".jsonl") || n.endsWith(".ndjson");
    }
}
