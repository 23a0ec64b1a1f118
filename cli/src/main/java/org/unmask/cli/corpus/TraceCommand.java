package org.unmask.cli.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unmask.cli.ExitCode;
import org.unmask.core.error.InvalidInputException;
import org.unmask.corpus.trace.Trace;
import org.unmask.corpus.trace.TraceReport;
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
            "Run `unmask audit --model <ref> --out <dir>` first and pass its folder as --audit."
        })
public final class TraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--corpus-stats", required = true, paramLabel = "DIR",
            description = "Output folder (or corpus-stats.json) of `unmask corpus stats`.")
    Path corpusStats;

    @Option(names = "--audit", required = true, paramLabel = "DIR",
            description = "Output folder (or result.json) of `unmask audit` on the model.")
    Path audit;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write trace.*.")
    Path out;

    @Option(names = "--min-sentences", defaultValue = "10",
            description = "Occupations with fewer gendered sentences in the corpus are excluded"
                    + " (default ${DEFAULT-VALUE}).")
    int minSentences;

    @Override
    public Integer call() throws InvalidInputException {
        Trace.Result r = Trace.link(corpusStats, audit, minSentences);
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
}
