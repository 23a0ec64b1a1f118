package org.unmask.benchmarks.seat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.testing.TempBenchmark;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.SentenceEncoder;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.testing.WordPieceTokenizer;

class SeatBenchmarkTest {
    @TempDir
    Path tmp;

    /** A deterministic toy encoder: each sentence maps to a fixed 3-d vector made from its token ids. */
    private static final class ToyEncoder implements SentenceEncoder {
        private final WordPieceTokenizer tokenizer = WordPieceTokenizer.growing();

        @Override
        public ModelInfo info() {
            return new ModelInfo(
                    "toy-encoder",
                    "Toy",
                    ModelKind.ENCODER,
                    Path.of("."),
                    "0".repeat(64),
                    "1".repeat(64),
                    "test",
                    512,
                    Map.of());
        }

        @Override
        public TextTokenizer tokenizer() {
            return tokenizer;
        }

        @Override
        public List<float[]> embed(List<int[]> batch, Pooling pooling) {
            List<float[]> out = new ArrayList<>();
            for (int[] ids : batch) {
                float[] v = new float[3];
                for (int id : ids) {
                    v[0] += (float) Math.sin(id);
                    v[1] += (float) Math.cos(1.7 * id);
                    v[2] += 1f;
                }
                out.add(v);
            }
            return out;
        }

        @Override
        public void close() {}
    }

    private static String test(String name) {
        String set = "{\"category\": \"%s\", \"examples\": [\"%s one.\", \"%s two.\", \"%s three.\"]}";
        return "{\"targ1\": " + String.format(set, "X", name + "x", name + "x", name + "x") + ", \"targ2\": "
                + String.format(set, "Y", "y" + name, "y" + name, "y" + name) + ", \"attr1\": "
                + String.format(set, "A", "apple", "ant", "arch") + ", \"attr2\": "
                + String.format(set, "B", "bear", "bell", "bone") + "}";
    }

    /** bias-bench's leaderboard "SEAT (Overall)" averages |d| over all 17 tests (0.590 for bert-base-uncased). */
    @Test
    void religionAndAllSeventeenTestsAreSummarisedWhenAUserFolderHasTheReligionTests() throws Exception {
        List<String> names = new ArrayList<>(SeatBenchmark.GENDER);
        names.addAll(SeatBenchmark.RACE);
        names.addAll(SeatBenchmark.RELIGION);
        Map<String, String> files = new LinkedHashMap<>();
        for (String n : names) {
            files.put("tests/" + n + ".jsonl", test(n.replaceAll("[^a-z0-9]", "")));
        }
        Path dir = TempBenchmark.write(tmp, "seat", files);
        BenchmarkResult r = new SeatBenchmark(() -> BenchmarkData.directory(dir))
                .run(
                        new RequestExecutor(new ToyEncoder(), ExecutorOptions.DEFAULT),
                        RunOptions.defaults().withPermutationSamples(100),
                        ProgressListener.NONE);
        double sum = 0;
        for (String n : names) {
            sum += Math.abs(r.metric("seat/effect-size", n).orElseThrow().value());
        }
        MetricValue all =
                r.metric("seat/mean-abs-effect-size", "gender+race+religion").orElseThrow();
        assertEquals(17, all.n());
        assertEquals(sum / 17, all.value(), 1e-9);
        assertEquals(
                4,
                r.metric("seat/mean-abs-effect-size", "religion").orElseThrow().n());
        assertEquals(
                6, r.metric("seat/mean-abs-effect-size", "gender").orElseThrow().n());
    }

    @Test
    void religionOnTheShippedDataSaysWhyTheTestsAreMissing() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> SeatBenchmark.select(
                        BenchmarkData.bundled("seat").spec(),
                        RunOptions.defaults().withBiasType("religion")));
        assertTrue(e.getMessage().contains("license"), e.getMessage());
    }

    @Test
    void shippedDataRunsGenderAndRaceByDefault() throws Exception {
        List<String> names = SeatBenchmark.select(BenchmarkData.bundled("seat").spec(), RunOptions.defaults());
        assertEquals(13, names.size());
    }
}
