package org.unmask.core.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The one source of Unmask's version: {@code unmask-version.properties}, which the build fills in from the project
 * version (Maven resource filtering in {@code core/pom.xml}), read once. Every result file's provenance, the
 * benchmark records and {@code unmask --version} take it from here, so a release changes one number, in the pom.
 */
public final class ToolVersion {
    private static final String RESOURCE = "unmask-version.properties";
    private static final String VERSION = load();

    private ToolVersion() {}

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = ToolVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: a broken build");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String v = p.getProperty("version", "");
        if (v.isBlank() || v.contains("${")) {
            throw new IllegalStateException(RESOURCE + " was not filled in by the build (version=" + v + ")");
        }
        return v.trim();
    }
}
