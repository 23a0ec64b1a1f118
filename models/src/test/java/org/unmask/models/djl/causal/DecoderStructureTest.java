package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.djl.causal.DecoderConfig.RopeScaling;

/** Structural properties of the decoder pieces: grouped-query attention, RoPE and ALiBi. */
class DecoderStructureTest {
    private static final float[] PLAIN = Rope.inverseFrequencies(16, 10000, RopeScaling.NONE);

    @TempDir
    Path tmp;

    /**
     * A GQA checkpoint (4 query heads over 2 key/value heads) equals the multi-head checkpoint whose key
     * and value heads are the GQA ones repeated, head h using kv head h / 2 (HF's repeat_kv).
     */
    @Test
    void groupedQueryAttentionEqualsMultiHeadWithRepeatedKeyValueHeads() throws Exception {
        Path gqaDir = tmp.resolve("gqa");
        Path mhaDir = tmp.resolve("mha");
        TinyCheckpoints.Tiny gqa = TinyCheckpoints.llama(gqaDir, "LlamaForCausalLM", 4, 2, false, 31);
        ObjectNode config = (ObjectNode) TinyCheckpoints.JSON.readTree(Files.readString(gqaDir.resolve("config.json")));
        config.put("num_key_value_heads", 4);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        int d = 8;
        int hidden = 32;
        for (Map.Entry<String, float[]> e : gqa.weights().entrySet()) {
            String n = e.getKey();
            if (n.endsWith("k_proj.weight") || n.endsWith("v_proj.weight")) {
                float[] src = e.getValue();
                float[] rep = new float[4 * d * hidden];
                for (int head = 0; head < 4; head++) {
                    System.arraycopy(src, (head / 2) * d * hidden, rep, head * d * hidden, d * hidden);
                }
                shapes.put(n, new long[] {4L * d, hidden});
                values.put(n, rep);
            } else {
                shapes.put(n, gqa.shapes().get(n));
                values.put(n, e.getValue());
            }
        }
        TinyCheckpoints.writeWeights(mhaDir, config, shapes, values);
        Files.copy(gqaDir.resolve("tokenizer.json"), mhaDir.resolve("tokenizer.json"));
        try (CausalLm a = (CausalLm) ModelLoader.load("gqa", gqaDir, Map.of(), Backend.TORCH);
                CausalLm b = (CausalLm) ModelLoader.load("mha", mhaDir, Map.of(), Backend.TORCH)) {
            assertEquals(2, a.config().kvHeads());
            assertEquals(4, b.config().kvHeads());
            int[] ids = a.promptIds("The nurse said that she was tired");
            assertArrayEquals(b.allLogits(ids), a.allLogits(ids), 1e-4f);
        }
    }

    /** RoPE makes q·k depend on positions only through their difference. */
    @Test
    void ropeScoresDependOnlyOnRelativePosition() throws Exception {
        Random r = new Random(5);
        float[] q = new float[16];
        float[] k = new float[16];
        for (int i = 0; i < 16; i++) {
            q[i] = (float) r.nextGaussian();
            k[i] = (float) r.nextGaussian();
        }
        try (NDManager m = DjlRuntime.newManager()) {
            double base = dot(m, q, 7, k, 3);
            assertEquals(base, dot(m, q, 17, k, 13), 1e-4);
            assertEquals(base, dot(m, q, 40, k, 36), 1e-4);
            // and it does depend on the offset
            assertEquals(false, Math.abs(base - dot(m, q, 7, k, 6)) < 1e-3);
            // position 0 is the identity rotation
            NDArray x = m.create(q, new Shape(1, 1, 1, 16));
            assertArrayEquals(q, Rope.apply(x, Rope.cosSin(m, 0, 1, PLAIN)).toFloatArray(), 1e-6f);
        }
    }

    /**
     * Llama 3.1 scaling (factor 8, low 1, high 4, original context 8192, theta 500000, d 128): the highest
     * frequencies (wavelength under 2048) are kept, the lowest (over 8192) divided by 8, the middle blended
     * between; linear scaling divides all by the factor.
     */
    @Test
    void llama3RopeScalingKeepsHighAndDividesLowFrequencies() {
        float[] base = Rope.inverseFrequencies(128, 500000, RopeScaling.NONE);
        float[] l3 = Rope.inverseFrequencies(128, 500000, new RopeScaling(RopeScaling.Type.LLAMA3, 8, 1, 4, 8192));
        float[] lin = Rope.inverseFrequencies(128, 500000, new RopeScaling(RopeScaling.Type.LINEAR, 2, 1, 1, 0));
        int kept = 0;
        int divided = 0;
        for (int i = 0; i < base.length; i++) {
            double wavelen = 2 * Math.PI / base[i];
            if (wavelen < 2048) {
                assertEquals(base[i], l3[i], 0f);
                kept++;
            } else if (wavelen > 8192) {
                assertEquals(base[i] / 8, l3[i], 1e-12);
                divided++;
            } else {
                assertEquals(true, l3[i] < base[i] && l3[i] > base[i] / 8, "blend at " + i);
            }
            assertEquals(base[i] / 2, lin[i], 1e-12);
        }
        assertEquals(true, kept > 0 && divided > 0);
    }

    private static double dot(NDManager m, float[] q, int qPos, float[] k, int kPos) {
        NDArray qr = Rope.apply(m.create(q, new Shape(1, 1, 1, 16)), Rope.cosSin(m, qPos, 1, PLAIN));
        NDArray kr = Rope.apply(m.create(k, new Shape(1, 1, 1, 16)), Rope.cosSin(m, kPos, 1, PLAIN));
        return qr.mul(kr).sum().getFloat();
    }

    /** BLOOM's slopes: 2^-1 .. 2^-8 for 8 heads; for 6, the 4-head sequence plus odd terms of the 8-head one. */
    @Test
    void alibiSlopesFollowBloom() {
        float[] eight = BloomForward.alibiSlopes(8);
        for (int i = 0; i < 8; i++) {
            assertEquals(Math.pow(2, -(i + 1)), eight[i], 1e-7);
        }
        float[] six = BloomForward.alibiSlopes(6);
        assertArrayEquals(new float[] {0.25f, 0.0625f, 0.015625f, 0.00390625f, 0.5f, 0.125f}, six, 1e-7f);
    }
}
