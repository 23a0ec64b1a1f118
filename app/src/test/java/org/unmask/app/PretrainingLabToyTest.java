package org.unmask.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.result.LabResult;
import org.unmask.core.result.ResultCodec;
import org.unmask.mitigation.experiment.LabSpec;
import org.unmask.report.LabReport;

/**
 * The acceptance run of the pretraining lab (issue 19): the shipped toy configuration
 * ({@code examples/pretraining-lab/toy.yaml}, on the shared gutenberg-mini corpus) end to end with real pretraining
 * from scratch, audits, traces and comparisons, twice with the same seeds: the report has every section and the
 * second run's report and model weights are bit-identical to the first's.
 */
class PretrainingLabToyTest {
    private static final Path TOY = Path.of("../examples/pretraining-lab/toy.yaml");

    @TempDir
    Path dir;

    private static LabSpec into(LabSpec x, Path out) {
        return new LabSpec(
                x.file(),
                x.name(),
                x.corpus(),
                out,
                x.seeds(),
                x.heldoutFraction(),
                x.pretrain(),
                x.augment(),
                x.suite(),
                x.minSentences(),
                x.ppplSentences(),
                x.resamples(),
                x.backend());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // a hang bound, far above the few minutes it takes
    void theToyLabRunsEndToEndAndARerunWithTheSameSeedsIsBitIdentical() throws Exception {
        LabSpec toy = LabSpec.read(TOY);
        assertTrue(
                Files.isDirectory(toy.corpus()),
                toy.corpus() + " is missing: check out the shared data folder beside the repository (../shared)");
        StringWriter log = new StringWriter();
        LabResult first = new PretrainingLab().run(into(toy, dir.resolve("a")), new PrintWriter(log));
        new PretrainingLab().run(into(toy, dir.resolve("b")), new PrintWriter(log));

        Path report = dir.resolve("a/report");
        String html = Files.readString(report.resolve(LabReport.HTML));
        for (String section : LabReport.SECTIONS) {
            assertTrue(html.contains("id='" + section + "'"), "section " + section);
        }
        assertTrue(html.contains("<svg"), "the charts");
        assertEquals(first, ResultCodec.readLab(report));
        assertEquals(3, first.setup().seeds().size());
        assertFalse(first.occupations().isEmpty(), "some occupation is counted: " + first.excluded());
        assertEquals(first.effects().size(), 5);
        for (long seed : toy.seeds()) {
            assertTrue(Files.isRegularFile(report.resolve("compare-s" + seed + ".txt")));
        }

        assertArrayEquals(
                Files.readAllBytes(report.resolve(LabReport.JSON)),
                Files.readAllBytes(dir.resolve("b/report").resolve(LabReport.JSON)));
        assertArrayEquals(
                Files.readAllBytes(report.resolve(LabReport.HTML)),
                Files.readAllBytes(dir.resolve("b/report").resolve(LabReport.HTML)));
        List<Path> weights;
        try (Stream<Path> s = Files.walk(dir.resolve("a/steps"))) {
            weights = s.filter(p -> p.getFileName().toString().equals("model.safetensors"))
                    .toList();
        }
        assertEquals(6, weights.size(), "3 seeds x 2 arms");
        for (Path w : weights) {
            Path twin = dir.resolve("b").resolve(dir.resolve("a").relativize(w));
            assertArrayEquals(Files.readAllBytes(w), Files.readAllBytes(twin), "weights of " + w);
        }
    }
}
