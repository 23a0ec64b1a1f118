package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.Precision;
import org.unmask.models.fixtures.HfFixtures;

/**
 * The error each reduced {@link Precision} makes against fp32 on every causal parity fixture, as the two numbers
 * provenance reports: max |log p - log p(fp32)| over every position and vocabulary entry of every fixture prompt,
 * and the share of positions whose most likely next token is fp32's. Both must stay within the bounds the enum
 * states (and so prints into result.json); the measured values are printed for PERFORMANCE.md.
 */
class ReducedPrecisionTest {
    /** max |Δ log-prob| and top-1 agreement of one precision over every fixture. */
    record Error(double maxLogProbDelta, double top1Agreement) {}

    @Test
    void bf16StaysWithinItsStatedErrorOnEveryFixture() throws Exception {
        check(Precision.BF16);
    }

    @Test
    void int8StaysWithinItsStatedErrorOnEveryFixture() throws Exception {
        check(Precision.INT8, Backend.TORCH);
    }

    @Test
    void int8OnOnnxRuntimeStaysWithinTheSameStatedErrorOnEveryFixture() throws Exception {
        check(Precision.INT8, Backend.ONNX);
    }

    private static void check(Precision precision) throws Exception {
        check(precision, Backend.TORCH);
    }

    private static void check(Precision precision, Backend backend) throws Exception {
        Error e = measure(precision, backend);
        assertTrue(
                e.maxLogProbDelta() <= precision.maxLogProbDelta(),
                precision + ": max |Δ log-prob| " + e.maxLogProbDelta() + " > " + precision.maxLogProbDelta());
        assertTrue(
                e.top1Agreement() >= precision.minTop1Agreement(),
                precision + ": top-1 agreement " + e.top1Agreement() + " < " + precision.minTop1Agreement());
    }

    static Error measure(Precision precision, Backend backend) throws Exception {
        double worst = 0;
        int agree = 0;
        int positions = 0;
        List<String> lines = new ArrayList<>();
        for (Path folder : HfFixtureParityTest.fixtures()) {
            JsonNode ref = HfFixtures.reference(folder);
            String id = folder.getFileName().toString();
            double fixtureWorst = 0;
            try (CausalLm fp32 = (CausalLm) ModelLoader.load(id, folder, Map.of(), Backend.TORCH);
                    DecoderLm low = (DecoderLm)
                            ModelLoader.load(id, folder, Map.of(), backend, ModelLoader.cacheRoot(), precision)) {
                assertEquals(precision.label(), low.info().lineage().get("precision"));
                // ONNX Runtime's int8 quantises float32, float16 and bfloat16 checkpoints alike
                assertEquals(
                        backend == Backend.ONNX,
                        low.info().backend().startsWith("onnxruntime"),
                        "engine: " + low.info().backend());
                assertTrue(
                        low.info().backend().contains(precision.label() + " weights"),
                        low.info().backend());
                int vocab = fp32.config().vocab();
                for (JsonNode c : ref.path("cases")) {
                    int[] ids = HfFixtures.ints(c.path("input_ids"));
                    float[] a = fp32.allLogits(ids);
                    float[] b = low.allLogits(ids);
                    for (int t = 0; t < ids.length; t++) {
                        double[] la = logSoftmax(a, t * vocab, vocab);
                        double[] lb = logSoftmax(b, t * vocab, vocab);
                        for (int v = 0; v < vocab; v++) {
                            fixtureWorst = Math.max(fixtureWorst, Math.abs(la[v] - lb[v]));
                        }
                        agree += argmax(la) == argmax(lb) ? 1 : 0;
                        positions++;
                    }
                }
            }
            lines.add(String.format("  %-22s max |Δ log-prob| %.2e", id, fixtureWorst));
            worst = Math.max(worst, fixtureWorst);
        }
        Error e = new Error(worst, (double) agree / positions);
        System.out.printf(
                "%s on %s vs fp32 on %d fixture positions: max |Δ log-prob| %.3e, top-1 agreement %.4f%n%s%n",
                precision.label(),
                low0(backend),
                positions,
                e.maxLogProbDelta(),
                e.top1Agreement(),
                String.join("\n", lines));
        return e;
    }

    private static String low0(Backend backend) {
        return backend.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static double[] logSoftmax(float[] logits, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[from + i] - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = logits[from + i] - log;
        }
        return out;
    }

    private static int argmax(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            best = a[i] > a[best] ? i : best;
        }
        return best;
    }
}
