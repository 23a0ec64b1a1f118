package org.unmask.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.result.LabResult;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.core.testing.ToyBiasLm;
import org.unmask.mitigation.experiment.LabSpec;
import org.unmask.report.LabReport;

/**
 * The pretraining lab's chain with a scripted pretrainer: each "model" is a file naming its arm and seed, opened as a
 * scripted masked LM whose pronoun lean per occupation is strong in the original arm and weak in the cda arm, plus a
 * small seed-dependent noise. The corpus, CDA, corpus statistics, audits, traces, comparisons, statistics and report
 * are the real ones.
 */
class PretrainingLabTest {
    @TempDir
    Path dir;

    /** Counts pretraining calls; fails the {@code failAt}-th call (1-based; 0 = never), as a killed run would. */
    static final class FakePretrainer implements LabPretrainer {
        final AtomicInteger calls = new AtomicInteger();
        final List<String> trained = new ArrayList<>();
        int failAt;

        @Override
        public void pretrain(Request r, PrintWriter log) throws UnmaskException {
            int n = calls.incrementAndGet();
            if (n == failAt) {
                throw new ModelException("killed", "rerun");
            }
            String arm = r.corpus().toString().contains("/cda-") ? "cda" : "original";
            try {
                Files.createDirectories(r.out());
                Files.writeString(r.out().resolve("lab-model.txt"), arm + " " + r.seed());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            trained.add(arm + "-" + r.seed());
        }

        @Override
        public boolean supports(String arch) {
            return arch.equals("masked");
        }
    }

    /** The toy vocabulary and the words of the test corpus, so every held-out sentence can be scored. */
    static final List<String> VOCAB = vocab();

    private static List<String> vocab() {
        List<String> v = new ArrayList<>(ToyBiasLm.VOCAB);
        for (String w : "was very tired after long night in town weather cold and road to old house quiet".split(" ")) {
            v.add(w);
        }
        return v;
    }

    /** The scripted model of a fake model folder. */
    static ScriptedMaskedLm open(String ref) {
        String[] armSeed;
        try {
            armSeed = Files.readString(Path.of(ref).resolve("lab-model.txt")).split(" ");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        double factor = armSeed[0].equals("cda") ? 0.1 : 1.0;
        long seed = Long.parseLong(armSeed[1]);
        return ScriptedMaskedLm.of(VOCAB, (tokens, pos, cand) -> {
            if (!cand.equals("she")) {
                return 0;
            }
            double bias = tokens.contains("nurse")
                    ? 2
                    : tokens.contains("##dress") ? 1.5 : tokens.contains("carpenter") ? -2 : -1;
            double noise = ((seed * 31 + tokens.size() + (long) (bias * 10)) % 7 - 3) / 20.0;
            return factor * bias + noise;
        });
    }

    private Path corpus() throws IOException {
        Path c = dir.resolve("corpus");
        Files.createDirectories(c);
        StringBuilder sb = new StringBuilder();
        String[][] lines = {
            {"nurse", "she", "8"}, {"nurse", "he", "2"},
            {"hairdresser", "she", "7"}, {"hairdresser", "he", "3"},
            {"carpenter", "he", "9"}, {"carpenter", "she", "1"},
            {"engineer", "he", "7"}, {"engineer", "she", "3"}
        };
        int doc = 0;
        for (int rep = 0; rep < 6; rep++) {
            for (String[] l : lines) {
                for (int i = 0; i < Integer.parseInt(l[2]); i++) {
                    sb.append("{\"id\":\"d")
                            .append(doc++)
                            .append("\",\"text\":\"The ")
                            .append(l[0])
                            .append(" said that ")
                            .append(l[1])
                            .append(" was very tired after the long night in the town. The weather was cold and")
                            .append(" the road to the old house was long and quiet.\"}\n");
                }
            }
        }
        Files.writeString(c.resolve("docs.jsonl"), sb.toString());
        return c;
    }

    private Path labFile(String extra) throws IOException {
        corpus();
        Path f = dir.resolve("lab.yaml");
        Files.writeString(
                f,
                "kind: pretraining-lab\n"
                        + "name: test-lab\n"
                        + "corpus: corpus\n"
                        + "out: out\n"
                        + "seeds: [1, 2, 3]\n"
                        + "heldout-fraction: 0.2\n"
                        + "pretrain:\n  config: toy\n"
                        + "suite: " + Fixtures.suitePath().toAbsolutePath() + "\n"
                        + "min-sentences: 5\n"
                        + "pppl-sentences: 20\n"
                        + "resamples: 200\n"
                        + extra);
        return f;
    }

    private LabResult run(Path file, FakePretrainer p) throws UnmaskException {
        return new PretrainingLab((ref, backend) -> open(ref), p)
                .run(LabSpec.read(file), new PrintWriter(new StringWriter()));
    }

    @Test
    void aLabRunsTheWholeChainAndItsReportHasEverySection() throws Exception {
        FakePretrainer p = new FakePretrainer();
        LabResult r = run(labFile(""), p);
        assertEquals(6, p.calls.get(), "3 seeds x 2 arms");
        Path report = dir.resolve("out/report");
        LabResult read = ResultCodec.readLab(report);
        assertEquals(r.occupations().size(), read.occupations().size());
        assertEquals(4, r.occupations().size(), r.excluded().toString());
        String html = Files.readString(report.resolve(LabReport.HTML));
        for (String section : LabReport.SECTIONS) {
            assertTrue(html.contains("id='" + section + "'"), section);
        }
        assertTrue(Files.isRegularFile(report.resolve("compare-s1.txt")));
        LabResult.Effect oneSided = r.effects().stream()
                .filter(e -> e.measure().equals("model-one-sidedness"))
                .findFirst()
                .orElseThrow();
        assertTrue(oneSided.effect().value() < 0, "CDA made the scripted models less one-sided: " + oneSided);
        assertTrue(oneSided.effect().ci95().isDefined());
        LabResult.Effect data = r.effects().stream()
                .filter(e -> e.measure().equals("data-one-sidedness"))
                .findFirst()
                .orElseThrow();
        assertEquals(0, data.cda().value(), 1e-9, "two-sided CDA balances every counted occupation");
        assertEquals(3, r.cost().perSeed().size());
    }

    @Test
    void aRerunSkipsEveryDoneStepAndWritesTheSameBytes() throws Exception {
        Path f = labFile("");
        FakePretrainer first = new FakePretrainer();
        run(f, first);
        byte[] json = Files.readAllBytes(dir.resolve("out/report/lab.json"));
        byte[] html = Files.readAllBytes(dir.resolve("out/report/lab.html"));
        FakePretrainer second = new FakePretrainer();
        run(f, second);
        assertEquals(0, second.calls.get(), "nothing retrained");
        assertArrayEquals(json, Files.readAllBytes(dir.resolve("out/report/lab.json")));
        assertArrayEquals(html, Files.readAllBytes(dir.resolve("out/report/lab.html")));
    }

    @Test
    void aRunKilledMidwayResumesWhereItStopped() throws Exception {
        Path f = labFile("");
        FakePretrainer killed = new FakePretrainer();
        killed.failAt = 4;
        assertThrows(ModelException.class, () -> run(f, killed));
        assertEquals(List.of("original-1", "original-2", "original-3"), killed.trained);
        FakePretrainer resumed = new FakePretrainer();
        run(f, resumed);
        assertEquals(List.of("cda-1", "cda-2", "cda-3"), resumed.trained, "only the unfinished models");
        assertTrue(Files.isRegularFile(dir.resolve("out/report/lab.json")));
    }

    @Test
    void aChangedSettingNeverReusesAStaleStep() throws Exception {
        Path f = labFile("");
        run(f, new FakePretrainer());
        String before = Files.readString(dir.resolve("out/report/lab.json"));
        // a stricter count changes the traces and the report, not the models
        Files.writeString(f, Files.readString(f).replace("min-sentences: 5", "min-sentences: 70"));
        FakePretrainer p = new FakePretrainer();
        LabResult r = run(f, p);
        assertEquals(0, p.calls.get());
        assertFalse(before.equals(Files.readString(dir.resolve("out/report/lab.json"))));
        assertTrue(
                r.excluded().stream()
                        .anyMatch(e ->
                                e.occupation().equals("carpenter") && e.reason().startsWith("too few mentions")),
                r.excluded().toString());
        // other pretraining steps retrain every model
        Files.writeString(f, Files.readString(f).replace("config: toy", "config: toy\n  steps: 7"));
        FakePretrainer q = new FakePretrainer();
        run(f, q);
        assertEquals(6, q.calls.get());
    }

    @Test
    void aCausalLabIsAClearModelErrorWhenThisBuildCannotPretrainIt() throws Exception {
        Path f = labFile("");
        Files.writeString(f, Files.readString(f).replace("config: toy", "config: toy\n  arch: causal"));
        FakePretrainer p = new FakePretrainer();
        ModelException e = assertThrows(ModelException.class, () -> run(f, p));
        assertTrue(e.getMessage().contains("cannot pretrain a causal model"), e.getMessage());
        assertEquals(0, p.calls.get());
    }

    @Test
    void aMaskedLabKeepsItsStepKeysSoARunInProgressResumes() throws Exception {
        run(labFile(""), new FakePretrainer());
        List<String> steps;
        try (var l = Files.list(dir.resolve("out/steps"))) {
            steps = l.map(x -> x.getFileName().toString()).sorted().toList();
        }
        // the keys of the code before the causal arm; a changed masked key would retrain every masked model
        assertEquals(
                List.of(
                        "cda-bbefb2ccda6d",
                        "measure-cda-s1-0eb97dc2236e",
                        "measure-cda-s2-99df9e819aaa",
                        "measure-cda-s3-83c2f7412de5",
                        "measure-original-s1-80b729781086",
                        "measure-original-s2-61bd5cc19984",
                        "measure-original-s3-b6b0d1af9d7c",
                        "model-cda-s1-1eb09cda516c",
                        "model-cda-s2-42cfb6bf1cb3",
                        "model-cda-s3-4d92a947b096",
                        "model-original-s1-398a066cdd6b",
                        "model-original-s2-d2ac4dc2b56a",
                        "model-original-s3-e1b1ea76dda5",
                        "split-729781260a71",
                        "stats-cda-97e7157549cf",
                        "stats-original-72b7bc803dc9",
                        "trace-cda-s1-fdfced17db2b",
                        "trace-cda-s2-aa79d1398e9d",
                        "trace-cda-s3-981e699e429d",
                        "trace-original-s1-102e02c28e41",
                        "trace-original-s2-e409e9f6130f",
                        "trace-original-s3-e16a80b2d3b0"),
                steps);
    }
}
