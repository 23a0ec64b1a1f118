package org.unmask.cli;

import picocli.CommandLine.Command;

/** The root command: a list of subcommands, no logic. */
@Command(
        name = "unmask",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Measure, trace and mitigate social bias in language models and their data.",
        subcommands = {
            // each front-door command builds a spec and calls the core; keep one per line
            org.unmask.cli.fill.FillCommand.class,
            org.unmask.cli.generate.GenerateCommand.class,
            org.unmask.cli.audit.AuditCommand.class,
            org.unmask.cli.perf.PerfCommand.class,
            org.unmask.cli.perf.PerfCommand.DeprecatedBench.class,
            org.unmask.cli.benchmark.BenchListCommand.class,
            org.unmask.cli.benchmark.BenchmarkCommand.class,
            org.unmask.cli.serve.ServeCommand.class,
            org.unmask.cli.mitigate.AugmentCommand.class,
            org.unmask.cli.mitigate.FinetuneCommand.class,
            org.unmask.cli.mitigate.PretrainCommand.class,
            org.unmask.cli.mitigate.PpplCommand.class,
            org.unmask.cli.mitigate.CompareCommand.class,
            org.unmask.cli.mitigate.ExperimentCommand.class,
            org.unmask.cli.corpus.CorpusCommand.class,
            org.unmask.cli.corpus.TraceCommand.class,
        })
public final class UnmaskCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
