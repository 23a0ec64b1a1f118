package org.unmask.cli.options;

import picocli.CommandLine.Option;

/** {@code --batch-size}: inputs per model call of an inference command (training has its own micro-batch). */
public final class BatchSizeOption {
    /** The largest batch any inference command accepts. */
    public static final int MAX = 1024;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            paramLabel = "<batchSize>",
            descriptionKey = "unmask.batch-size",
            description = "Inputs per model call (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = MAX)
    int size = 32;

    public int value() {
        return size;
    }
}
