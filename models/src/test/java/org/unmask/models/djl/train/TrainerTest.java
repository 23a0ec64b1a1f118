package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.models.djl.DjlRuntime;

class TrainerTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void engine() throws Exception {
        DjlRuntime.engine();
    }

    private static TrainConfig config(long seed) throws InvalidInputException {
        // 12 sequences, batch 4, accumulation 2: 3 micro-batches = 2 optimizer steps per epoch, 4 in all
        return TrainConfig.of(2, 4, 2, 1e-3, 0.25, 0.01, 1.0, 0.3, 0.1, 32, seed, 1);
    }

    private Map<String, float[]> run(Path out, long seed, int stopAfter) throws Exception {
        try (NDManager m = DjlRuntime.newManager()) {
            TrainableBert model = TrainableBert.random(m, TinyBert.CONFIG, 99, DataType.FLOAT32, 0.1f);
            Trainer t = new Trainer(config(seed), TinyBert.masking(0.3), new Checkpoints(out, 2), "fp-" + seed);
            Trainer.Result r = t.train(model, TinyBert.sequences(12, 4), m, new Trainer.Listener() {
                long steps;

                @Override
                public void onStep(Trainer.Progress p) {
                    steps = p.step();
                    assertTrue(Double.isFinite(p.loss()) && p.tokensSeen() > 0);
                }

                @Override
                public boolean stopRequested() {
                    return stopAfter > 0 && steps >= stopAfter;
                }
            });
            assertEquals(stopAfter > 0 ? stopAfter : 4, r.steps());
            Map<String, float[]> w = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : model.all().entrySet()) {
                w.put(e.getKey(), e.getValue().toFloatArray());
            }
            return w;
        }
    }

    private static void assertSameWeights(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), 0f, k);
        }
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot() throws Exception {
        Map<String, float[]> a = run(dir.resolve("a"), 5, 0);
        Map<String, float[]> b = run(dir.resolve("b"), 5, 0);
        assertSameWeights(a, b);
        Map<String, float[]> c = run(dir.resolve("c"), 6, 0);
        String k = "bert.encoder.layer.0.attention.self.query.weight";
        assertFalse(java.util.Arrays.equals(a.get(k), c.get(k)));
        float[] init;
        try (NDManager m = DjlRuntime.newManager()) {
            init = TrainableBert.random(m, TinyBert.CONFIG, 99, DataType.FLOAT32, 0.1f)
                    .trainable()
                    .get(k)
                    .toFloatArray();
        }
        assertFalse(java.util.Arrays.equals(a.get(k), init), "training changed the weights");
    }

    @Test
    void resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws Exception {
        Map<String, float[]> whole = run(dir.resolve("whole"), 5, 0);
        Path out = dir.resolve("resumed");
        run(out, 5, 1); // stops (and checkpoints) after step 1 of 4
        assertTrue(Files.isRegularFile(out.resolve("step-00000001/COMPLETE")));
        Map<String, float[]> resumed = run(out, 5, 0);
        assertSameWeights(whole, resumed);
        assertEquals(List.of("step-00000003", "step-00000004"), names(out), "only the newest two are kept");
    }

    @Test
    void refusesToResumeACheckpointOfAnotherRun() throws Exception {
        Path out = dir.resolve("x");
        run(out, 5, 1);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(out, 6, 0));
        assertTrue(e.getMessage().contains("other settings"));
    }

    @Test
    void ignoresAndCleansAHalfWrittenCheckpoint() throws Exception {
        Path out = dir.resolve("crash");
        run(out, 5, 1);
        Path partial = Files.createDirectories(out.resolve(".step-00000002.tmp-123"));
        Files.writeString(partial.resolve("model.safetensors"), "truncated");
        Files.createDirectories(out.resolve("step-00000009")); // no COMPLETE marker
        assertEquals(
                out.resolve("step-00000001"), new Checkpoints(out, 2).latest().orElseThrow());
        Map<String, float[]> resumed = run(out, 5, 0);
        assertSameWeights(run(dir.resolve("ref"), 5, 0), resumed);
        assertFalse(Files.exists(partial));
    }

    @Test
    void learnsARepeatedSentence() throws Exception {
        try (NDManager m = DjlRuntime.newManager()) {
            TrainableBert model = TrainableBert.random(m, TinyBert.CONFIG, 1, DataType.FLOAT32, 0f);
            List<int[]> data = new ArrayList<>(
                    Collections.nCopies(8, TinyBert.sequences(1, 9).get(0)));
            TrainConfig cfg = TrainConfig.of(40, 8, 1, 1e-2, 0.0, 0.0, 1.0, 0.3, 0.0, 32, 3, 100);
            List<Double> losses = new Trainer(cfg, TinyBert.masking(0.3), new Checkpoints(dir.resolve("l"), 1), "l")
                    .train(model, data, m, p -> {})
                    .losses();
            double first = losses.get(0);
            double last = (losses.get(37) + losses.get(38) + losses.get(39)) / 3;
            assertTrue(last < 0.4 * first, "loss " + first + " -> " + last);
        }
    }

    private static List<String> names(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
