package org.unmask.cli.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unmask.cli.ExitCode;
import org.unmask.cli.options.Range;
import org.unmask.core.error.InvalidInputException;
import org.unmask.corpus.perf.CorpusPerf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unmask corpus perf}: local engine MB/s against {@code zcat} on the same files, same run. */
@Command(
        name = "perf",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the local engine's speed: SOURCE linked COPIES times (default: ../shared/corpora/gutenberg-medium"
                    + " x16, about 1 GB of JSONL), timed against zcat > /dev/null over the same files."
        })
public class CorpusPerfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--source",
            paramLabel = "DIR",
            defaultValue = "../shared/corpora/gutenberg-medium",
            description = "Corpus to repeat (default ${DEFAULT-VALUE}).")
    Path source;

    @Option(names = "--copies", defaultValue = "16", description = "Times to repeat it (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 1000)
    int copies;

    @Option(names = "--threads", description = "Threads for the parallel run (default: all cores).")
    @Range(min = 1, max = 4096)
    Integer threads;

    @Option(names = "--repeats", defaultValue = "1", description = "Best of N (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 100)
    int repeats;

    @Override
    public Integer call() throws InvalidInputException {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        try {
            CorpusPerf.Result r = CorpusPerf.run(source, copies, n, repeats, System.err);
            spec.commandLine().getOut().println(r.describe());
        } catch (IOException e) {
            throw new InvalidInputException(
                    "corpus perf failed: " + e.getMessage(),
                    "needs zcat on PATH, a writable temp folder and the --source corpus");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED.code();
        }
        return ExitCode.OK.code();
    }

    /**
     * {@code unmask corpus bench}: the old name of {@link CorpusPerfCommand}, kept for one release ("bench" collided
     * with the bias benchmarks); runs the same measurement after a one-line note on stderr.
     */
    @Command(
            name = "bench",
            hidden = true,
            mixinStandardHelpOptions = true,
            description = "Deprecated name of `unmask corpus perf` (removed in the next release).")
    public static final class DeprecatedBench extends CorpusPerfCommand {
        @Override
        public Integer call() throws InvalidInputException {
            spec.commandLine()
                    .getErr()
                    .println("warning: `unmask corpus bench` is deprecated; use `unmask corpus perf` (same options)");
            spec.commandLine().getErr().flush();
            return super.call();
        }
    }
}
