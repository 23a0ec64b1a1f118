package org.unmask.cli.corpus;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unmask.app.Audits;
import org.unmask.app.Traces;
import org.unmask.cli.AuditMessages;
import org.unmask.cli.ExitCode;
import org.unmask.cli.ProgressBar;
import org.unmask.cli.options.Range;
import org.unmask.core.error.UnmaskException;
import org.unmask.corpus.trace.Trace;
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
        PrintWriter err = spec.commandLine().getErr();
        Path audit = source.audit != null ? source.audit
                : new Traces(new Audits()).auditFor(source.model, out, new ProgressBar(err, System.console() != null),
                        new AuditMessages(err, false));
        Trace.Result r = Traces.link(corpusStats, audit, minSentences, out);
        spec.commandLine().getOut().print(Traces.summary(r));
        spec.commandLine().getOut().println("wrote " + out.resolve("trace.json") + ", trace.csv, trace.html");
        return ExitCode.OK.code();
    }
}
