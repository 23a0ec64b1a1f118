package org.unmask.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.result.LabResult;
import org.unmask.core.testing.RealModel;
import org.unmask.mitigation.experiment.LabSpec;
import org.unmask.probes.suite.SuiteLoader;

/**
 * The lab's causal arm with real pretraining ({@link LabPretrainer#DEFAULT}): the shipped toy lab switched to
 * {@code arch: causal}, a few steps per model and the generation suite shrunk to one short sample, so that the real
 * gpt2-toy models, their audits, traces and held-out loss are plumbed end to end in minutes. Numbers are not checked.
 */
class CausalPretrainingLabToyTest {
    private static final Path TOY = Path.of("../examples/pretraining-lab/toy.yaml");

    @TempDir
    Path dir;

    @RealModel
    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // a hang bound, far above the time it takes
    void theToyLabWithACausalArchPretrainsGpt2ModelsAndScoresTheirHeldOutPerplexity() throws Exception {
        LabSpec toy = LabSpec.read(TOY);
        Path suite;
        try (InputStream in = SuiteLoader.class.getResourceAsStream(
                "/org/unmask/probes/suites/" + SuiteLoader.GENERATION_SUITE + ".yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("samples: \\d+", "samples: 1")
                    .replaceAll("max-new-tokens: \\d+", "max-new-tokens: 4")
                    .replace("{lexicon: occupations, column: occupation", "{file: jobs.tsv, column: occupation");
            Files.writeString(dir.resolve("jobs.tsv"), "occupation\tpct_female\nnurse\t90\nengineer\t10\n");
            suite = Files.writeString(dir.resolve("gen.yaml"), yaml);
        }
        LabSpec causal = new LabSpec(
                toy.file(),
                toy.name(),
                toy.corpus(),
                dir.resolve("out"),
                toy.seeds(),
                toy.heldoutFraction(),
                new LabSpec.Pretrain(toy.pretrain().config(), 10, "causal"),
                toy.augment(),
                suite.toString(),
                0,
                toy.ppplSentences(),
                toy.resamples(),
                toy.backend());
        LabResult r = new PretrainingLab().run(causal, new PrintWriter(new StringWriter()));
        assertEquals(LabResult.Cost.HELD_OUT_PERPLEXITY, r.cost().measure());
        for (LabResult.SeedCost c : r.cost().perSeed()) {
            assertTrue(Double.isFinite(c.original()) && c.original() > 1, "a perplexity: " + c);
            assertTrue(Double.isFinite(c.cda()) && c.cda() > 1, "a perplexity: " + c);
        }
        assertEquals("generation", r.setup().measure());
    }
}
