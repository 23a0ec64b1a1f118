package org.unmask.models.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;
import org.unmask.models.Precision;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.SafetensorsWriter;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;
import org.unmask.models.safetensors.ShardedCheckpoint;

/** How {@link Weights} holds a checkpoint in each precision: matrices reduced, everything else float32. */
class WeightsPrecisionTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) throws URISyntaxException {
        URL url = WeightsPrecisionTest.class.getResource("/fixtures/" + name + "/config.json");
        return Path.of(url.toURI()).getParent();
    }

    @Test
    void bf16HoldsMatricesAsFloat16AndNormsAsFloat32() throws Exception {
        try (NDManager m = DjlRuntime.newManager();
                ShardedCheckpoint c = ShardedCheckpoint.open(fixture("llama-bf16-sharded"))) {
            Weights w = Weights.load(m, c, Precision.BF16, name -> false);
            assertEquals(
                    DataType.FLOAT16,
                    w.matrix("model.layers.0.self_attn.q_proj.weight").dataType());
            assertEquals(DataType.FLOAT16, w.matrix("model.embed_tokens.weight").dataType());
            assertEquals(
                    DataType.FLOAT32,
                    w.get("model.layers.0.input_layernorm.weight").getDataType());
            // a BF16 checkpoint's values arrive unchanged (float16 holds every bfloat16 of their magnitude)
            float[] want = c.readFloats("model.layers.0.mlp.up_proj.weight");
            float[] got = w.get("model.layers.0.mlp.up_proj.weight")
                    .toType(DataType.FLOAT32, false)
                    .toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], Math.abs(want[i]) < 0x1p-14f ? 0x1p-25f : 0f, "element " + i);
            }
        }
    }

    @Test
    void int8QuantisesPerOutputChannelRowsOrColumnsWithinHalfAStep() throws Exception {
        float[] w = new float[6 * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i) * (1 + i / 4); // rows of different magnitudes
        }
        Path file = tmp.resolve("model.safetensors");
        List<TensorSpec> specs = List.of(
                new TensorSpec("rows.weight", DType.F32, new long[] {6, 4}),
                new TensorSpec("cols.weight", DType.F32, new long[] {6, 4}));
        try (SafetensorsWriter out = SafetensorsWriter.create(file, specs, Map.of())) {
            out.writeFloats("rows.weight", w);
            out.writeFloats("cols.weight", w);
            out.commit();
        }
        try (NDManager m = DjlRuntime.newManager();
                ShardedCheckpoint c = ShardedCheckpoint.open(tmp)) {
            Weights weights = Weights.load(m, c, Precision.INT8, name -> name.startsWith("cols"));
            assertEquals(DataType.INT8, weights.matrix("rows.weight").dataType());
            NDArray x = m.eye(4);
            // x = I: the linear layer returns the dequantised matrix transposed, the Conv1D form the matrix itself
            float[] rows =
                    weights.matrix("rows.weight").linear(x, null).transpose().toFloatArray();
            float[] cols = weights.matrix("cols.weight")
                    .matMul(m.eye(6), m.zeros(new Shape(4)))
                    .toFloatArray();
            for (int r = 0; r < 6; r++) {
                float rowMax = 0;
                for (int k = 0; k < 4; k++) {
                    rowMax = Math.max(rowMax, Math.abs(w[r * 4 + k]));
                }
                for (int k = 0; k < 4; k++) {
                    float colMax = 0;
                    for (int q = 0; q < 6; q++) {
                        colMax = Math.max(colMax, Math.abs(w[q * 4 + k]));
                    }
                    // a power-of-two step below 2 max / 127; rounding errs by half a step at most
                    assertTrue(Math.abs(rows[r * 4 + k] - w[r * 4 + k]) <= rowMax / 127 + 1e-6, "row " + r);
                    assertTrue(Math.abs(cols[r * 4 + k] - w[r * 4 + k]) <= colMax / 127 + 1e-6, "col " + k);
                }
            }
        }
    }

    @Test
    void aNonFiniteWeightIsAModelErrorInReducedPrecisions() throws Exception {
        float[] w = {1, 2, Float.NaN, 4};
        try (SafetensorsWriter out = SafetensorsWriter.create(
                tmp.resolve("model.safetensors"),
                List.of(new TensorSpec("m.weight", DType.F32, new long[] {2, 2})),
                Map.of())) {
            out.writeFloats("m.weight", w);
            out.commit();
        }
        for (Precision p : List.of(Precision.BF16, Precision.INT8)) {
            try (NDManager m = DjlRuntime.newManager();
                    ShardedCheckpoint c = ShardedCheckpoint.open(tmp)) {
                ModelException e = assertThrows(ModelException.class, () -> Weights.load(m, c, p, name -> false));
                assertTrue(e.getMessage().contains("\"m.weight\" holds NaN at element 2"), e.getMessage());
            }
        }
    }

    @Test
    void fp32IsTheUnchangedLoader() throws Exception {
        try (NDManager m = DjlRuntime.newManager();
                ShardedCheckpoint c = ShardedCheckpoint.open(fixture("gpt2"))) {
            Weights w = Weights.load(m, c, Precision.FP32, name -> true);
            String name = w.names().stream()
                    .filter(n -> n.endsWith("c_fc.weight"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(DataType.FLOAT32, w.matrix(name).dataType());
            assertTrue(w.matrix(name).array() == w.get(name), "the very array, no copy");
        }
    }
}
