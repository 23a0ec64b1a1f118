package org.unmask.cli.mitigate;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unmask.app.Experiments;
import org.unmask.app.PretrainingLab;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.LabResult;
import org.unmask.mitigation.experiment.ExperimentSpec;
import org.unmask.mitigation.experiment.LabSpec;
import org.unmask.models.djl.train.Trainer;
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
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = {
            "Run a mitigation experiment file (YAML): baseline -> mitigation -> audit -> compare in one go;",
            "with `kind: pretraining-lab`, a pretraining lab (corpus vs CDA corpus, k seeds; docs/pretraining-lab.md).",
            "Steps whose outputs exist are skipped, so re-running resumes. --dry-run prints the plan."
        })
public final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file.yaml>", description = "the experiment file")
    Path file;

    @Option(names = "--dry-run", description = "print the steps without running them")
    boolean dryRun;

    @Override
    public Integer call() throws UnmaskException {
        if (LabSpec.declaredIn(file)) {
            return lab();
        }
        ExperimentSpec x = ExperimentSpec.read(file);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Experiments.backend(x); // a bad backend is reported before the plan, as a bad file is
        Experiments.plan(x, out);
        if (dryRun) {
            return 0;
        }
        Trainer.Listener training = x.finetune() == null
                ? p -> {}
                : new TrainingProgress(err, x.finetune().epochs(), System.console() != null)::update;
        new Experiments().run(x, out, err, training);
        return 0;
    }

    /** A pretraining lab ({@code kind: pretraining-lab}): corpus and CDA arms, k seeds, one report. */
    private Integer lab() throws UnmaskException {
        LabSpec x = LabSpec.read(file);
        PrintWriter out = spec.commandLine().getOut();
        PretrainingLab.backend(x);
        PretrainingLab.plan(x, out);
        if (dryRun) {
            return 0;
        }
        LabResult r = new PretrainingLab().run(x, out);
        out.print(PretrainingLab.summary(r));
        out.flush();
        return 0;
    }
}
