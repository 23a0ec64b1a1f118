package org.unmask.core.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ToolVersionTest {
    @Test
    void theVersionComesFromTheBuild() {
        assertTrue(ToolVersion.get().matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"), ToolVersion.get());
        // set by core/pom.xml's surefire configuration to ${project.version}
        assertEquals(System.getProperty("unmask.expectedVersion"), ToolVersion.get());
    }
}
