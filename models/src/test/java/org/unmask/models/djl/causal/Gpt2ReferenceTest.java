package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;

/**
 * The libtorch GPT-2 against an independent forward pass written here on plain Java arrays in double
 * precision, straight from the GPT-2 definition (pre-LN blocks, Conv1D [in, out], tanh GELU, causal
 * softmax attention, LM head tied to wte). Same random weights, different code path. This is not parity
 * with Hugging Face; that is {@code HfFixtureParityTest}'s job.
 */
class Gpt2ReferenceTest {
    @TempDir
    Path tmp;

    @Test
    void logitsMatchAPlainJavaReferenceForward() throws Exception {
        TinyCheckpoints.Tiny tiny = TinyCheckpoints.gpt2(tmp, 21);
        try (CausalLm lm = (CausalLm) ModelLoader.load("gpt2-tiny", tmp, Map.of(), Backend.TORCH)) {
            int[] ids = lm.promptIds("The woman works as a nurse");
            float[] got = lm.allLogits(ids);
            double[][] want = new Reference(tiny.weights(), lm.config()).logits(ids);
            int vocab = lm.config().vocab();
            double worst = 0;
            for (int t = 0; t < ids.length; t++) {
                for (int v = 0; v < vocab; v++) {
                    worst = Math.max(worst, Math.abs(want[t][v] - got[t * vocab + v]));
                }
            }
            assertEquals(0, worst, 1e-4, "largest logit difference");
        }
    }

    /**
     * The parity harness reads the fixture format the Python generator writes: here the fixture is made
     * by the Java reference instead of transformers, to test the harness itself (and fail on a bad one).
     */
    @Test
    void parityHarnessAcceptsAFixtureInTheGeneratorFormat() throws Exception {
        Path dir = tmp.resolve("gpt2");
        TinyCheckpoints.Tiny tiny = TinyCheckpoints.gpt2(dir, 22);
        ObjectNode ref = TinyCheckpoints.JSON.createObjectNode();
        ref.put("architecture", "GPT2LMHeadModel").put("tolerance", 1e-4);
        ArrayNode cases = ref.putArray("cases");
        try (CausalLm lm = (CausalLm) ModelLoader.load("gpt2", dir, Map.of(), Backend.TORCH)) {
            Reference r = new Reference(tiny.weights(), lm.config());
            for (String prompt : new String[] {"The man works as a", "The woman said that"}) {
                int[] ids = lm.promptIds(prompt);
                ObjectNode c = cases.addObject();
                c.put("prompt", prompt).put("max_new_tokens", 5);
                ArrayNode idNode = c.putArray("input_ids");
                for (int id : ids) {
                    idNode.add(id);
                }
                ArrayNode rows = c.putArray("logits");
                for (double[] row : r.logits(ids)) {
                    ArrayNode a = rows.addArray();
                    for (double x : row) {
                        a.add(x);
                    }
                }
                ArrayNode greedy = c.putArray("greedy_new_ids");
                int[] seq = ids.clone();
                for (int step = 0; step < 5; step++) {
                    double[] last = r.logits(seq)[seq.length - 1];
                    int best = 0;
                    for (int v = 1; v < last.length; v++) {
                        best = last[v] > last[best] ? v : best;
                    }
                    if (lm.config().isEos(best)) {
                        break;
                    }
                    greedy.add(best);
                    seq = Arrays.copyOf(seq, seq.length + 1);
                    seq[seq.length - 1] = best;
                }
            }
        }
        Files.writeString(dir.resolve("reference.json"), ref.toString());
        HfFixtureParityTest.check(dir, Backend.TORCH);
        HfFixtureParityTest.check(dir, Backend.ONNX);
        // a wrong reference must fail
        ((ArrayNode) cases.get(0).get("logits").get(0))
                .set(3, TinyCheckpoints.JSON.getNodeFactory().numberNode(99.0));
        Files.writeString(dir.resolve("reference.json"), ref.toString());
        assertThrows(AssertionFailedError.class, () -> HfFixtureParityTest.check(dir, Backend.TORCH));
        assertThrows(AssertionFailedError.class, () -> HfFixtureParityTest.check(dir, Backend.ONNX));
    }

    /** GPT-2 on double arrays, one token row at a time. */
    private record Reference(Map<String, float[]> w, DecoderConfig cfg) {
        double[][] logits(int[] ids) {
            int n = ids.length;
            int h = cfg.hidden();
            double[][] x = new double[n][h];
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < h; i++) {
                    x[t][i] = w.get("transformer.wte.weight")[ids[t] * h + i]
                            + w.get("transformer.wpe.weight")[t * h + i];
                }
            }
            for (int l = 0; l < cfg.layers(); l++) {
                String p = "transformer.h." + l + ".";
                double[][] a = attention(norm(x, p + "ln_1"), p);
                add(x, a);
                double[][] f = conv(norm(x, p + "ln_2"), p + "mlp.c_fc", h, 4 * h);
                for (double[] row : f) {
                    for (int i = 0; i < row.length; i++) {
                        double v = row[i];
                        row[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                    }
                }
                add(x, conv(f, p + "mlp.c_proj", 4 * h, h));
            }
            double[][] out = norm(x, "transformer.ln_f");
            float[] wte = w.get("transformer.wte.weight");
            double[][] logits = new double[n][cfg.vocab()];
            for (int t = 0; t < n; t++) {
                for (int v = 0; v < cfg.vocab(); v++) {
                    double s = 0;
                    for (int i = 0; i < h; i++) {
                        s += out[t][i] * wte[v * h + i];
                    }
                    logits[t][v] = s;
                }
            }
            return logits;
        }

        double[][] attention(double[][] x, String p) {
            int n = x.length;
            int h = cfg.hidden();
            int d = cfg.headDim();
            double[][] qkv = conv(x, p + "attn.c_attn", h, 3 * h);
            double[][] ctx = new double[n][h];
            for (int head = 0; head < cfg.heads(); head++) {
                for (int i = 0; i < n; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += qkv[i][head * d + c] * qkv[j][h + head * d + c];
                        }
                        s[j] = dot / Math.sqrt(d);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= i; j++) {
                        s[j] = Math.exp(s[j] - max);
                        z += s[j];
                    }
                    for (int j = 0; j <= i; j++) {
                        for (int c = 0; c < d; c++) {
                            ctx[i][head * d + c] += s[j] / z * qkv[j][2 * h + head * d + c];
                        }
                    }
                }
            }
            return conv(ctx, p + "attn.c_proj", h, h);
        }

        double[][] conv(double[][] x, String name, int in, int out) {
            float[] wt = w.get(name + ".weight");
            float[] b = w.get(name + ".bias");
            double[][] y = new double[x.length][out];
            for (int t = 0; t < x.length; t++) {
                for (int o = 0; o < out; o++) {
                    double s = b[o];
                    for (int i = 0; i < in; i++) {
                        s += x[t][i] * wt[i * out + o];
                    }
                    y[t][o] = s;
                }
            }
            return y;
        }

        double[][] norm(double[][] x, String name) {
            float[] g = w.get(name + ".weight");
            float[] b = w.get(name + ".bias");
            double[][] y = new double[x.length][];
            for (int t = 0; t < x.length; t++) {
                double mean = 0;
                for (double v : x[t]) {
                    mean += v;
                }
                mean /= x[t].length;
                double var = 0;
                for (double v : x[t]) {
                    var += (v - mean) * (v - mean);
                }
                var /= x[t].length;
                y[t] = new double[x[t].length];
                for (int i = 0; i < x[t].length; i++) {
                    y[t][i] = (x[t][i] - mean) / Math.sqrt(var + cfg.normEps()) * g[i] + b[i];
                }
            }
            return y;
        }

        static void add(double[][] x, double[][] y) {
            for (int t = 0; t < x.length; t++) {
                for (int i = 0; i < x[t].length; i++) {
                    x[t][i] += y[t][i];
                }
            }
        }
    }
}
