package org.unmask.cli.audit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.unmask.cli.ExitCode;
import org.unmask.cli.ProgressBar;
import org.unmask.cli.options.BackendOption;
import org.unmask.cli.options.BatchSizeOption;
import org.unmask.cli.options.JsonOption;
import org.unmask.cli.options.ModelOption;
import org.unmask.cli.options.OutOption;
import org.unmask.cli.options.QuietOption;
import org.unmask.cli.options.Range;
import org.unmask.cli.options.SeedOption;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.GenerationJournal;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.ModelKind;
import org.unmask.core.result.AuditResult;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;
import org.unmask.report.AuditReport;
import org.unmask.report.JsonReport;
import org.unmask.report.TerminalSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unmask audit}: runs a bias suite (default: the built-in gender–occupation suite) and writes the report. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        resourceBundle = "org.unmask.cli.audit.AuditCommand",
        description = {"Audit a model for social bias with a suite of templates and measures.",
            "Default: the built-in gender-occupation suite on bert-base-uncased.",
            "Writes result.json, items.csv, items.jsonl, report.html and summary.txt under --out.",
            "Exit 0 when every suite assertion holds, 5 when one fails, 3 for a bad suite or option."})
public final class AuditCommand implements Callable<Integer> {
    /** Sampled continuations of an unfinished run, under --out; deleted once the results are written. */
    static final String JOURNAL = "generations.journal.jsonl";

    /** Opens a model by reference; replaced in tests by a scripted model. */
    @FunctionalInterface
    interface ModelOpener {
        LanguageModel open(String ref, Backend backend) throws ModelException;
    }

    static ModelOpener opener = ModelLoader::load;

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--suite"}, paramLabel = "FILE",
            description = "Suite file (YAML, docs/suite-format.md) or a built-in suite id. "
                    + "Default: built-in gender-occupation.")
    Path suite;

    @Option(names = "--allow-outside-term-files", description = "Let the suite read {file: ...} term lists outside "
            + "its own folder (by default they must stay inside it, symbolic links resolved).")
    boolean allowOutsideTermFiles;

    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    BackendOption backend = new BackendOption();

    @Mixin
    OutOption out = new OutOption();

    @Mixin
    SeedOption seed = new SeedOption(20241129);

    @Option(names = "--resamples", defaultValue = "2000", description = "Bootstrap resamples per interval "
            + "(default ${DEFAULT-VALUE}).")
    @Range(min = 100, max = 100_000)
    int resamples;

    @Mixin
    BatchSizeOption batchSize = new BatchSizeOption();

    @Mixin
    QuietOption quiet = new QuietOption();

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() throws UnmaskException {
        Backend engine = backend.engine();
        if (suite != null) {
            loadSuite(false); // a bad suite file is reported before the model is loaded
        }
        Path dir = out.path() != null ? out.path() : Path.of("runs", "audit-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        checkWritable(dir);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        ProgressListener progress = quiet.on() ? ProgressListener.NONE : new ProgressBar(err, System.console() != null);
        AuditResult result;
        try (LanguageModel lm = opener.open(model.ref(), engine)) {
            Suite s = loadSuite(lm.info().kind() == ModelKind.CAUSAL_LM);
            if (!quiet.on()) {
                err.println("auditing " + lm.info().id() + " with suite " + s.id() + " v" + s.version());
            }
            GenerationJournal journal = GenerationJournal.open(dir.resolve(JOURNAL), lm.info().weightsSha256());
            if (journal.size() > 0 && !quiet.on()) {
                err.println("resuming: " + journal.size() + " sampled continuations from " + journal.file()
                        + (journal.skippedLines() > 0 ? " (" + journal.skippedLines() + " cut-short lines redone)" : ""));
            }
            result = run(lm, s, seed.value(), resamples, batchSize.value(), progress, journal);
        }
        List<Path> files = AuditReport.write(result, dir);
        deleteJournal(dir.resolve(JOURNAL), err);
        if (json.on()) {
            stdout.print(JsonReport.render(result));
        } else if (!quiet.on()) {
            stdout.print(TerminalSummary.render(result));
            stdout.println("report: " + dir.resolve("report.html") + " (" + files.size() + " files in " + dir + ")");
        }
        stdout.flush();
        if (!result.passed()) {
            long failed = result.assertions().stream().filter(a -> !a.passed()).count();
            err.println("error: " + failed + " of " + result.assertions().size() + " suite assertion(s) failed");
            err.flush();
            return ExitCode.ASSERTION_FAILED.code();
        }
        return ExitCode.OK.code();
    }

    /** Runs a suite on a loaded model: the one audit path of every front door that needs one. */
    public static AuditResult run(LanguageModel lm, Suite s, long seed, int resamples, int batchSize,
            ProgressListener progress) throws UnmaskException {
        return run(lm, s, seed, resamples, batchSize, progress, null);
    }

    /**
     * As {@link #run(LanguageModel, Suite, long, int, int, ProgressListener)}, keeping sampled continuations in
     * {@code journal} (null: none) so an interrupted generation study resumes.
     */
    public static AuditResult run(LanguageModel lm, Suite s, long seed, int resamples, int batchSize,
            ProgressListener progress, GenerationJournal journal) throws UnmaskException {
        RequestExecutor executor = new RequestExecutor(lm, new ExecutorOptions(batchSize, 200_000));
        if (journal != null) {
            executor.useJournal(journal);
        }
        return new AuditEngine().run(new AuditSpec(s, seed, resamples, AuditSpec.of(s).permutations(), progress),
                executor);
    }

    /**
     * A suite file, or a built-in suite by id when no such file exists (e.g. {@code --suite gender-occupation});
     * without {@code --suite}, the built-in gender-occupation suite for the model's kind.
     */
    private Suite loadSuite(boolean causal) throws InvalidInputException {
        if (suite == null) {
            return SuiteLoader.builtin(causal ? SuiteLoader.DEFAULT_CAUSAL_SUITE : SuiteLoader.DEFAULT_SUITE);
        }
        if (!Files.exists(suite) && SuiteLoader.BUILTIN.contains(suite.toString())) {
            return SuiteLoader.builtin(suite.toString());
        }
        return SuiteLoader.load(suite, allowOutsideTermFiles ? SuiteLoader.TermFileScope.ANYWHERE
                : SuiteLoader.TermFileScope.SUITE_FOLDER);
    }

    /** The results are written: the journal that let an interrupted run resume has served its purpose. */
    private static void deleteJournal(Path file, PrintWriter err) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            err.println("warning: could not delete " + file + ": " + e.getMessage());
        }
    }

    private static void checkWritable(Path dir) throws InvalidInputException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidInputException("cannot create output folder " + dir + ": " + e.getMessage(),
                    "choose a writable folder with --out");
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidInputException("output folder " + dir + " is not writable", "choose another with --out");
        }
    }
}
