package org.unmask.cli.audit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.unmask.app.Audits;
import org.unmask.app.ModelOpener;
import org.unmask.cli.AuditMessages;
import org.unmask.cli.ExitCode;
import org.unmask.cli.ProgressBar;
import org.unmask.cli.options.BackendOption;
import org.unmask.cli.options.BatchSizeOption;
import org.unmask.cli.options.JsonOption;
import org.unmask.cli.options.ModelOption;
import org.unmask.cli.options.OutOption;
import org.unmask.cli.options.PrecisionOption;
import org.unmask.cli.options.QuietOption;
import org.unmask.cli.options.Range;
import org.unmask.cli.options.SeedOption;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.AuditResult;
import org.unmask.models.Backend;
import org.unmask.models.Precision;
import org.unmask.report.JsonReport;
import org.unmask.report.TerminalSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unmask audit}: runs a bias suite (default: the built-in gender–occupation suite) and writes the report. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        resourceBundle = "org.unmask.cli.audit.AuditCommand",
        description = {
            "Audit a model for social bias with a suite of templates and measures.",
            "Default: the built-in gender-occupation suite on bert-base-uncased.",
            "Writes result.json, items.csv, items.jsonl, report.html and summary.txt under --out.",
            "Exit 0 when every suite assertion holds, 5 when one fails, 3 for a bad suite or option."
        })
public final class AuditCommand implements Callable<Integer> {
    /** Sampled continuations of an unfinished run, under --out; deleted once the results are written. */
    static final String JOURNAL = Audits.JOURNAL;

    /** Opens a model by reference; replaced in tests by a scripted model. */
    static ModelOpener opener = ModelOpener.LOADER;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-s", "--suite"},
            paramLabel = "FILE",
            description = "Suite file (YAML, docs/suite-format.md) or a built-in suite id. "
                    + "Default: built-in gender-occupation.")
    Path suite;

    @Option(
            names = "--allow-outside-term-files",
            description = "Let the suite read {file: ...} term lists outside "
                    + "its own folder (by default they must stay inside it, symbolic links resolved).")
    boolean allowOutsideTermFiles;

    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    BackendOption backend = new BackendOption();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Mixin
    OutOption out = new OutOption();

    @Mixin
    SeedOption seed = new SeedOption(20241129);

    @Option(
            names = "--resamples",
            defaultValue = "2000",
            description = "Bootstrap resamples per interval " + "(default ${DEFAULT-VALUE}).")
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
        Precision weights = precision.precision();
        if (suite != null) {
            Audits.suite(suite.toString(), false, allowOutsideTermFiles); // a bad suite file is reported first
        }
        Path dir = out.path() != null
                ? out.path()
                : Path.of(
                        "runs", "audit-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        checkWritable(dir);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        ProgressListener progress = quiet.on() ? ProgressListener.NONE : new ProgressBar(err, System.console() != null);
        Audits.Request request = new Audits.Request(
                model.ref(),
                engine,
                suite == null ? null : suite.toString(),
                allowOutsideTermFiles,
                new Audits.Settings(seed.value(), resamples, batchSize.value()),
                dir,
                true,
                weights);
        Audits.Outcome outcome = new Audits(opener).audit(request, progress, new AuditMessages(err, quiet.on()));
        AuditResult result = outcome.result();
        if (json.on()) {
            stdout.print(JsonReport.render(result));
        } else if (!quiet.on()) {
            stdout.print(TerminalSummary.render(result));
            stdout.println("report: " + dir.resolve("report.html") + " ("
                    + outcome.files().size() + " files in " + dir + ")");
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

    private static void checkWritable(Path dir) throws InvalidInputException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot create output folder " + dir + ": " + e.getMessage(),
                    "choose a writable folder with --out");
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidInputException("output folder " + dir + " is not writable", "choose another with --out");
        }
    }
}
