package org.unmask.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.ResultCodec;

/**
 * No change intended, none made: the same audit as the committed schema-1 fixture (written by the code before the
 * result contract existed, core test resources) writes the same bytes today, once the fields that differ from run
 * to run (times, timings, the Java runtime) are taken from the fixture.
 */
class ResultContractTest {
    private static String fixture(String name) throws IOException {
        try (InputStream in = AuditResult.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code now} with the run-dependent fields of {@code then}. */
    private static AuditResult sameRun(AuditResult now, AuditResult then) {
        AuditResult.Provenance p = now.provenance();
        AuditResult.Provenance t = then.provenance();
        AuditResult.Provenance fixed = new AuditResult.Provenance(p.tool(), t.toolVersion(), t.java(), t.os(),
                p.model(), p.suite(), p.seed(), p.bootstrapResamples(), p.permutationSamples(), t.started(),
                t.finished());
        AuditResult.ExecutorSummary e = now.executor();
        AuditResult.ExecutorSummary seconds = new AuditResult.ExecutorSummary(e.requests(), e.uniqueRequests(),
                e.cacheHits(), e.forwardInputs(), e.batches(), then.executor().modelSeconds(), e.sampled());
        return new AuditResult(now.schemaVersion(), fixed, then.timings(), seconds, now.measures(), now.assertions());
    }

    @Test
    void aMaskedLmAuditWritesTheSameBytesAsBeforeTheContract() throws Exception {
        String old = fixture("schema1-masked.json");
        AuditResult then = ResultCodec.readAudit(old, "schema1-masked.json");
        assertEquals(old, JsonReport.render(sameRun(ReportFixture.audit(), then)));
    }

    @Test
    void aGenerationStudyWritesTheSameBytesAsBeforeTheContract() throws Exception {
        String old = fixture("schema1-generation.json");
        AuditResult then = ResultCodec.readAudit(old, "schema1-generation.json");
        assertEquals(old, JsonReport.render(sameRun(GenerationReportTest.audit(), then)));
    }
}
