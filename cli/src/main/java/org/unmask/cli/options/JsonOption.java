package org.unmask.cli.options;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output on stdout instead of the human one. */
public final class JsonOption {
    @Option(names = "--json", descriptionKey = "unmask.json", description = "Print JSON instead of a table.")
    boolean json;

    public boolean on() {
        return json;
    }
}
