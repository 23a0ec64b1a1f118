package org.unmask.cli.options;

import picocli.CommandLine.Option;

/** {@code -q/--quiet}: no progress and no summary, for CI; errors still print. */
public final class QuietOption {
    @Option(
            names = {"-q", "--quiet"},
            descriptionKey = "unmask.quiet",
            description = "No progress bar and no summary (for CI); errors still print.")
    boolean quiet;

    public boolean on() {
        return quiet;
    }
}
