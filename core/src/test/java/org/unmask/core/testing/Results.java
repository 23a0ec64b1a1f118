package org.unmask.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.result.ResultCodec;

/**
 * Real result records for tests of the tools that read results ({@code compare}, {@code trace}): a complete
 * {@link AuditResult} around the measures a test cares about, written to a folder by {@link ResultCodec} exactly as
 * {@code unmask audit --out} writes it. Fixed provenance, so files are reproducible.
 */
public final class Results {
    private Results() {}

    /** An audit result of {@code measures} by model {@code modelId} with suite hash {@code suiteSha256}. */
    public static AuditResult audit(String modelId, String suiteSha256, List<MeasureResult> measures) {
        AuditResult.ModelProvenance model = new AuditResult.ModelProvenance(
                modelId, "ScriptedForMaskedLM", "MASKED_LM", ".", "0".repeat(64), "0", "scripted", 64, Map.of());
        AuditResult.SuiteProvenance suite = new AuditResult.SuiteProvenance(
                "test-suite", 1, "Test suite", "", "test.yaml", suiteSha256, Map.of(), List.of(""));
        AuditResult.Provenance p = new AuditResult.Provenance(
                "unmask",
                "test",
                "17",
                "test",
                model,
                suite,
                42,
                100,
                1000,
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:01Z");
        return new AuditResult(
                AuditResult.SCHEMA_VERSION,
                p,
                new AuditResult.Timings(0, 0, 0, 0, 1),
                new AuditResult.ExecutorSummary(0, 0, 0, 0, 0, 0, 0),
                measures,
                List.of());
    }

    /** Writes {@code result} as {@code dir/result.json} (creating {@code dir}); returns {@code dir}. */
    public static Path write(Path dir, AuditResult result) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("result.json"), ResultCodec.render(result));
        return dir;
    }
}
