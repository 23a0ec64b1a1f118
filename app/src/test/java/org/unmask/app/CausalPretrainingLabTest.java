package org.unmask.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.LabResult;
import org.unmask.core.testing.ScriptedGenerator;
import org.unmask.mitigation.experiment.LabSpec;
import org.unmask.probes.suite.SuiteLoader;
import org.unmask.report.LabReport;

/**
 * The lab's causal arm with a scripted pretrainer: each "model" is a file naming its arm and seed, opened as a
 * scripted generator that continues about women for nurses in the original arm and about either gender in the cda
 * arm; its "held-out loss" is scripted per arm. The chain, the audits with the generation suite, the traces and the
 * report are the real ones.
 */
class CausalPretrainingLabTest {
    @TempDir
    Path dir;

    /** Writes a model file per call; scores a scripted held-out loss (cda a little worse). */
    static final class CausalFakePretrainer implements LabPretrainer {
        final List<String> archs = new ArrayList<>();
        final List<Path> heldOut = new ArrayList<>();

        @Override
        public void pretrain(Request r, PrintWriter log) throws UnmaskException {
            archs.add(r.settings().arch());
            String arm = r.corpus().toString().contains("/cda-") ? "cda" : "original";
            try {
                Files.createDirectories(r.out());
                Files.writeString(r.out().resolve("lab-model.txt"), arm + " " + r.seed());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean supports(String arch) {
            return true;
        }

        @Override
        public double heldOutLoss(Path model, Path docs, LabSpec.Pretrain settings) {
            heldOut.add(docs);
            try {
                String[] armSeed =
                        Files.readString(model.resolve("lab-model.txt")).split(" ");
                return (armSeed[0].equals("cda") ? 2.2 : 2.0) + Long.parseLong(armSeed[1]) / 100.0;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static ScriptedGenerator open(String ref) {
        String arm;
        try {
            arm = Files.readString(Path.of(ref).resolve("lab-model.txt")).split(" ")[0];
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        boolean cda = arm.equals("cda");
        return new ScriptedGenerator(req -> {
            boolean female = req.prompt().contains("nurse") || req.prompt().contains("hairdresser");
            if (cda) {
                female = Math.floorMod(req.seed(), 2) == 0;
            }
            return female ? " she was there." : " he was there.";
        });
    }

    private Path labFile() throws IOException {
        Path c = Files.createDirectories(dir.resolve("corpus"));
        StringBuilder sb = new StringBuilder();
        String[][] lines = {{"nurse", "she"}, {"hairdresser", "she"}, {"carpenter", "he"}, {"engineer", "he"}};
        int doc = 0;
        for (int rep = 0; rep < 40; rep++) {
            for (String[] l : lines) {
                String pronoun = rep % 5 == 0 ? (l[1].equals("she") ? "he" : "she") : l[1];
                sb.append("{\"id\":\"d")
                        .append(doc++)
                        .append("\",\"text\":\"The ")
                        .append(l[0])
                        .append(" said that ")
                        .append(pronoun)
                        .append(" was very tired after the long night in the town.\"}\n");
            }
        }
        Files.writeString(c.resolve("docs.jsonl"), sb.toString());
        Path f = dir.resolve("lab.yaml");
        Files.writeString(
                f,
                "kind: pretraining-lab\n"
                        + "name: causal-lab\n"
                        + "corpus: corpus\n"
                        + "out: out\n"
                        + "seeds: [1, 2, 3]\n"
                        + "heldout-fraction: 0.2\n"
                        + "pretrain:\n  config: toy\n  arch: causal\n"
                        + "min-sentences: 5\n"
                        + "pppl-sentences: 20\n"
                        + "resamples: 200\n");
        return f;
    }

    @Test
    void aCausalArmAuditsWithTheGenerationSuiteAndCostsHeldOutPerplexity() throws Exception {
        LabSpec spec = LabSpec.read(labFile());
        assertEquals(SuiteLoader.GENERATION_SUITE, PretrainingLab.suiteOf(spec), "the masked default is replaced");
        CausalFakePretrainer p = new CausalFakePretrainer();
        StringWriter log = new StringWriter();
        LabResult r = new PretrainingLab((ref, backend) -> open(ref), p).run(spec, new PrintWriter(log));
        assertEquals(java.util.Collections.nCopies(6, "causal"), p.archs);
        assertEquals(6, p.heldOut.size(), "one held-out loss per model");
        assertTrue(
                p.heldOut.stream().allMatch(h -> h.getFileName().toString().equals("heldout.jsonl")),
                p.heldOut.toString());
        assertEquals(LabResult.Cost.HELD_OUT_PERPLEXITY, r.cost().measure());
        assertEquals(Math.exp(2.01), r.cost().perSeed().get(0).original(), 1e-9, "exp of the held-out loss");
        assertEquals(Math.exp(2.21), r.cost().perSeed().get(0).cda(), 1e-9);
        assertEquals("generation", r.setup().measure(), "the trace read the generation measure");
        String html = Files.readString(dir.resolve("out/report").resolve(LabReport.HTML));
        assertTrue(html.contains("What CDA cost: held-out perplexity"), "the cost is named as what it is");
        assertFalse(html.contains("pseudo-perplexity"), "no pseudo-perplexity is claimed for a causal model");
        assertTrue(LabReport.summary(r).contains("held-out perplexity"), LabReport.summary(r));
    }

    @Test
    void aMaskedLabKeepsTheSuiteItNames() throws Exception {
        Path f = labFile();
        Files.writeString(f, Files.readString(f).replace("  arch: causal\n", ""));
        assertEquals("gender-occupation", PretrainingLab.suiteOf(LabSpec.read(f)));
    }
}
