package org.unmask.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -o/--out}: an optional output location; each command says in its help what it writes there. */
public final class OutOption {
    @Option(
            names = {"-o", "--out"},
            paramLabel = "DIR",
            descriptionKey = "unmask.out",
            description = "Output folder.")
    Path path;

    /** The location given, or null when none was. */
    public Path path() {
        return path;
    }
}
