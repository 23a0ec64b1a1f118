package org.unmask.cli.corpus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code unmask corpus}: gender–occupation statistics over pretraining corpora. */
@Command(
        name = "corpus",
        mixinStandardHelpOptions = true,
        description = "Gender-occupation statistics over pretraining corpora (Dolma-style JSONL, plain text).",
        subcommands = {
            CorpusStatsCommand.class,
            CorpusPerfCommand.class,
            CorpusPerfCommand.DeprecatedBench.class,
        })
public final class CorpusCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
