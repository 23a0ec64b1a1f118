package org.unmask.cli.mitigate;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unmask.app.Comparisons;
import org.unmask.cli.options.SeedOption;
import org.unmask.core.error.UnmaskException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unmask compare}: what a mitigation did, from two audit result folders. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        resourceBundle = "org.unmask.cli.mitigate.CompareCommand",
        description = {
            "Compare two audits of the same suite (before = run-a, after = run-b): per measure the paired"
                    + " change of |lean − ideal| over targets with the audit's crossed-bootstrap 95%% CI (targets ×"
                    + " templates × terms, both runs on the same draw; printed with what it resampled) and whether it"
                    + " moved toward the ideal; the top-k tables side by side; and pseudo-perplexity when both folders"
                    + " hold pseudo-perplexity.json (unmask pppl --out <folder>). Sampled-generation measures (matched by name, e.g. a base model's"
                    + " gender-occupation-generation against an instruct model's gender-occupation-generation-chat) show,"
                    + " per decoding setting, the female share F/(F+M) of each run and its change with a 95%% CI"
                    + " resampling targets (and templates and contexts when both runs asked the same prompts), and the"
                    + " change in amplification (model %% female − statistic)."
        })
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<run-a>", description = "audit folder before the mitigation")
    Path a;

    @Parameters(index = "1", paramLabel = "<run-b>", description = "audit folder after the mitigation")
    Path b;

    @Mixin
    SeedOption seed = new SeedOption(Comparisons.DEFAULT_SEED);

    @Override
    public Integer call() throws UnmaskException {
        PrintWriter out = spec.commandLine().getOut();
        Comparisons.print(Comparisons.compare(a, b, seed.value()), a, b, out);
        return 0;
    }
}
