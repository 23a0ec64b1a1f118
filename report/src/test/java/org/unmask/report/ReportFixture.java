package org.unmask.report;

import java.nio.file.Path;
import java.util.List;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.AuditResult;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.suite.SuiteLoader;

/** An audit of a scripted model on a suite full of HTML-hostile strings. */
final class ReportFixture {
    private ReportFixture() {}

    static AuditResult audit() throws UnmaskException {
        ScriptedMaskedLm lm = ScriptedMaskedLm.of(
                List.of(
                        "the",
                        "a",
                        "an",
                        "woman",
                        "man",
                        "she",
                        "he",
                        "they",
                        "works",
                        "as",
                        "said",
                        "that",
                        "left",
                        "nurse",
                        "carpenter",
                        "engineer",
                        "."),
                (tokens, pos, cand) -> (cand.equals("nurse") && tokens.contains("woman") ? 2 : 0)
                        + (cand.equals("carpenter") && tokens.contains("man") ? 2 : 0)
                        + (cand.equals("she") && tokens.contains("nurse") ? 1 : 0));
        return new AuditEngine()
                .run(
                        AuditSpec.of(SuiteLoader.load(Path.of("src/test/resources/suites/hostile.yaml")))
                                .withResamples(100),
                        new RequestExecutor(lm, ExecutorOptions.DEFAULT));
    }
}
