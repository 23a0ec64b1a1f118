package org.unmask.cli;

import org.unmask.core.version.ToolVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code unmask --version}: the build's version ({@link ToolVersion}), not a copy of it. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"unmask " + ToolVersion.get()};
    }
}
