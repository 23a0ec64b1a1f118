package org.unmask.cli.benchmark;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.unmask.benchmarks.Benchmark;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkSpec;
import org.unmask.benchmarks.Benchmarks;
import org.unmask.core.error.UnmaskException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code unmask bench-list}: the built-in benchmarks, their data version, license and metrics. */
@Command(
        name = "bench-list",
        mixinStandardHelpOptions = true,
        description = "List the built-in bias benchmarks (data verified against its sha256).")
public final class BenchListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws UnmaskException {
        PrintWriter out = spec.commandLine().getOut();
        for (Benchmark b : Benchmarks.all()) {
            BenchmarkSpec s = BenchmarkData.bundled(b.id()).spec();
            out.printf("%-12s %s%n", b.id(), b.summary());
            out.printf(
                    "%-12s   data: %s; license: %s%s; needs: %s%n",
                    "", s.version(), s.license(), s.nonCommercial() ? " [NON-COMMERCIAL]" : "", s.modelKind());
            out.printf("%-12s   metrics: %s%n", "", String.join(", ", s.metrics()));
        }
        out.flush();
        return 0;
    }
}
