package org.unmask.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.AuditResult;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;

/** The shipped example suites and the one in docs/suite-format.md load and run unchanged. */
class ExampleSuitesTest {
    private static final Path EXAMPLES = Path.of("../examples/suites");
    private static final Path DOC = Path.of("../docs/suite-format.md");

    private static void runs(Suite suite) throws UnmaskException {
        AuditResult r = new AuditEngine()
                .run(
                        new AuditSpec(suite, 1, 100, 5000, org.unmask.core.engine.ProgressListener.NONE),
                        new RequestExecutor(Fixtures.model(), ExecutorOptions.DEFAULT));
        assertEquals(suite.measures().size(), r.measures().size());
        assertEquals(suite.assertions().size(), r.assertions().size());
    }

    @Test
    void everyExampleSuiteLoadsAndRuns() throws IOException, UnmaskException {
        List<Path> suites;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            suites = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(suites.size() >= 3, suites.toString());
        for (Path p : suites) {
            Suite suite = SuiteLoader.load(p);
            assertFalse(suite.id().startsWith("gender"), "examples go beyond gender: " + p);
            runs(suite);
        }
    }

    @Test
    void suiteInTheFormatDocumentationRunsUnchanged(@TempDir Path dir) throws IOException, UnmaskException {
        String md = Files.readString(DOC);
        int start = md.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = md.substring(start, md.indexOf("```", start));
        Path f = dir.resolve("caregiving.yaml");
        Files.writeString(f, yaml);
        Suite suite = SuiteLoader.load(f);
        assertEquals("caregiving", suite.id());
        assertEquals(2, suite.contexts().size());
        runs(suite);
    }

    @Test
    void builtInSuiteRunsOnAScriptedModel() throws UnmaskException {
        runs(SuiteLoader.builtin(SuiteLoader.DEFAULT_SUITE));
    }
}
