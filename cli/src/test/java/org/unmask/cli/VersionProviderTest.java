package org.unmask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.unmask.core.version.ToolVersion;

class VersionProviderTest {
    @Test
    void versionPrintsTheBuildsVersionNotACopy() {
        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"--version"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(0, code);
        assertEquals("unmask " + ToolVersion.get(), out.toString().strip());
    }
}
