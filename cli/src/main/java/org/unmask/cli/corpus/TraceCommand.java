package org.unmask.cli.corpus;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.unmask.app.Audits;
import org.unmask.app.Traces;
import org.unmask.cli.AuditMessages;
import org.unmask.cli.ExitCode;
import org.unmask.cli.ProgressBar;
import org.unmask.cli.options.Range;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.TraceResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code unmask trace}: per occupation, corpus % female vs model % female vs BLS. */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = {
            "Link corpus statistics to model bias: per occupation, data %% female (unmask corpus stats), model %%"
                    + " female (a generation, zero-shot, pronoun-lean or cooccurrence-log-ratio measure of unmask"
                    + " audit) and BLS %% female; per run (audit x decoding setting) the amplification (model - data)"
                    + " with a 95%% CI, correlations, and one scatter chart of all runs (trace.html).",
            "Give --model to audit the model here (built-in suite, written to <out>/audit), or --audit with the folder"
                    + " of an earlier `unmask audit` run; repeat --audit to trace several models at once (e.g. base"
                    + " and instruct)."
        })
public final class TraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--corpus-stats",
            required = true,
            paramLabel = "DIR",
            description = "Output folder (or corpus-stats.json) of `unmask corpus stats`.")
    Path corpusStats;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the model's side comes from. */
    static final class Source {
        @Option(
                names = "--audit",
                paramLabel = "DIR",
                arity = "1",
                description = "Output folder (or result.json) of `unmask audit` on the model; repeatable.")
        List<Path> audits;

        @Option(
                names = {"-m", "--model"},
                paramLabel = "REF",
                description = "Audit this model now with the built-in gender-occupation suite.")
        String model;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write trace.*.")
    Path out;

    @Option(
            names = "--measure",
            defaultValue = Traces.AUTO,
            paramLabel = "KIND",
            description = "The audit measure giving the model's %% female: auto (the first of generation, zero-shot,"
                    + " pronoun-lean, cooccurrence-log-ratio the audit has), or one of those (default"
                    + " ${DEFAULT-VALUE}).")
    String measure;

    @Option(
            names = "--resamples",
            defaultValue = "2000",
            description = "Bootstrap resamples of the amplification intervals (default ${DEFAULT-VALUE}).")
    @Range(min = 2)
    int resamples;

    @Option(
            names = "--min-sentences",
            defaultValue = "10",
            description = "Occupations with fewer gendered sentences in the corpus are excluded"
                    + " (default ${DEFAULT-VALUE}).")
    @Range(min = 0)
    int minSentences;

    @Override
    public Integer call() throws UnmaskException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Traces.AUTO.equals(measure) && !Traces.MEASURES.contains(measure)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--measure " + measure + " is not a measure trace reads;" + " use auto or one of "
                            + String.join(", ", Traces.MEASURES));
        }
        List<Path> audits = source.audits != null
                ? source.audits
                : List.of(new Traces(new Audits())
                        .auditFor(
                                source.model,
                                out,
                                new ProgressBar(err, System.console() != null),
                                new AuditMessages(err, false)));
        TraceResult r = Traces.link(corpusStats, audits, minSentences, measure, resamples, out);
        spec.commandLine().getOut().print(Traces.summary(r));
        spec.commandLine().getOut().println("wrote " + out.resolve("trace.json") + ", trace.csv, trace.html");
        return ExitCode.OK.code();
    }
}
