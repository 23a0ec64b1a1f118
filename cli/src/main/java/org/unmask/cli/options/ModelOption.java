package org.unmask.cli.options;

import picocli.CommandLine.Option;

/** {@code -m/--model}: an optional model reference (folder or hub id); none means the embedded default. */
public final class ModelOption {
    @Option(
            names = {"-m", "--model"},
            paramLabel = "REF",
            descriptionKey = "unmask.model",
            description = "Model folder or hub id (default: embedded bert-base-uncased).")
    String ref;

    /** The reference as given, or null for the default model. */
    public String ref() {
        return ref;
    }
}
