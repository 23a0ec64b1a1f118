package org.unmask.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code --seed}: the seed of a command's randomness (any long). Each command passes its own default when it
 * creates the mixin, so defaults stay as documented per command.
 */
public final class SeedOption {
    @Option(names = "--seed", descriptionKey = "unmask.seed", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    public SeedOption() {
        this(42);
    }

    public SeedOption(long defaultSeed) {
        this.seed = defaultSeed;
    }

    public long value() {
        return seed;
    }
}
