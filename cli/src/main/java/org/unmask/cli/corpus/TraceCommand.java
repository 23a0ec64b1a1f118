package org.unmask.cli.corpus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unmask.cli.ExitCode;
import org.unmask.cli.ProgressBar;
import org.unmask.cli.options.Range;
import org.unmask.cli.audit.AuditCommand;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.TraceResult;
import org.unmask.corpus.trace.Trace;
import org.unmask.models.ModelLoader;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;
import org.unmask.report.AuditReport;
import org.unmask.report.TraceReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unmask trace}: per occupation, corpus % female vs model % female vs BLS. */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = {
            "Link corpus statistics to model bias: per occupation, data %% female (unmask corpus stats), model %%"
                    + " female (pronoun-lean of unmask audit) and BLS %% female; correlations with 95%% CIs,"
                    + " amplification, scatter chart (trace.html).",
            "Give --model to audit the model here (built-in suite, written to <out>/audit), or --audit with the folder"
                    + " of an earlier `unmask audit` run."
        })
public final class TraceCommand implements Callable<Integer> {
    /** The audit command's default seed, so a trace's audit equals a plain {@code unmask audit}. */
    private static final long AUDIT_SEED = 20241129L;

    @Spec
    CommandSpec spec;

    @Option(names = "--corpus-stats", required = true, paramLabel = "DIR",
            description = "Output folder (or corpus-stats.json) of `unmask corpus stats`.")
    Path corpusStats;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the model's side comes from. */
    static final class Source {
        @Option(names = "--audit", paramLabel = "DIR",
                description = "Output folder (or result.json) of `unmask audit` on the model.")
        Path audit;

        @Option(names = {"-m", "--model"}, paramLabel = "REF",
                description = "Audit this model now with the built-in gender-occupation suite.")
        String model;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write trace.*.")
    Path out;

    @Option(names = "--min-sentences", defaultValue = "10",
            description = "Occupations with fewer gendered sentences in the corpus are excluded"
                    + " (default ${DEFAULT-VALUE}).")
    @Range(min = 0)
    int minSentences;

    @Override
    public Integer call() throws UnmaskException {
        Path audit = source.audit != null ? source.audit : auditNow(source.model);
        TraceResult r = Trace.link(corpusStats, audit, minSentences);
        try {
            TraceReport.write(r, out);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write to " + out + ": " + e.getMessage(),
                    "choose a writable --out");
        }
        spec.commandLine().getOut().print(TraceReport.summary(r));
        spec.commandLine().getOut().println("wrote " + out.resolve("trace.json") + ", trace.csv, trace.html");
        return ExitCode.OK.code();
    }

    private Path auditNow(String model) throws UnmaskException {
        Path dir = out.resolve("audit");
        Suite suite = SuiteLoader.builtin(SuiteLoader.DEFAULT_SUITE);
        PrintWriter err = spec.commandLine().getErr();
        AuditResult result;
        try (LanguageModel lm = ModelLoader.load(model)) {
            err.println("auditing " + lm.info().id() + " with suite " + suite.id() + " v" + suite.version());
            result = AuditCommand.run(lm, suite, AUDIT_SEED, 2000, 32, new ProgressBar(err, System.console() != null));
        }
        AuditReport.write(result, dir);
        return dir;
    }
}
