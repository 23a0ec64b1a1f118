package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.fixtures.HfFixtures;
import org.unmask.models.safetensors.ShardedCheckpoint;

/**
 * One training step of Unmask's trainer pieces equals one step of transformers + torch on the parity fixtures
 * ({@code train-step.json}, written by {@code tools/fixtures/make_train_step_fixtures.py}): the same batch (masked
 * LM: fixed mask positions and labels; causal: the ids, whose next-token labels {@link CausalBatches} derives as HF
 * shifts them), dropout off, gives the same loss, the same gradients, the same global gradient norm, the same
 * weight-decay groups and, after clipping and one {@link AdamW} step, the same parameters.
 *
 * <p>Tolerance: 1e-4 relative. Loss and norms relative to themselves; a gradient entry relative to its tensor's
 * gradient norm; an updated parameter relative to its value, or to the learning rate when smaller (a parameter
 * that started at 0 moves by about lr in AdamW's first step). A gradient that is zero in exact arithmetic (the key
 * bias of BERT-style attention: softmax ignores a shift shared by all keys) is rounding noise in both frameworks,
 * below {@code 1e-6} of the global norm: it must be that small here too, and its entries and its AdamW update
 * (lr · noise / |noise|) are not compared.
 */
class TrainStepParityTest {
    private static final double TOL = 1e-4;

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "bert-mlm",
                "roberta-mlm",
                "distilbert-mlm",
                "gpt2",
                "llama",
                "qwen2",
                "mistral",
                "olmo",
                "olmo2",
                "bloom"
            })
    void oneStepMatchesTransformersAndTorch(String fixture) throws Exception {
        URL url = getClass().getClassLoader().getResource("fixtures/" + fixture);
        Path folder = Path.of(url.toURI());
        JsonNode ref =
                HfFixtures.JSON.readTree(folder.resolve("train-step.json").toFile());
        ModelConfig mc = ModelConfig.read(folder);
        try (NDManager manager = DjlRuntime.newManager();
                ShardedCheckpoint ckpt = ShardedCheckpoint.open(folder)) {
            TrainableModel model = TrainableModels.load(manager, ckpt, mc, 0.0);
            assertEquals(ref.path("objective").asText(), model.objective().id(), "objective of " + fixture);
            MaskedBatch batch = batch(ref, model.objective());
            JsonNode params = ref.path("params");
            assertEquals(names(params), new TreeSet<>(model.trainable().keySet()), "trainable parameters");

            double loss;
            JniUtils.setGradMode(true);
            try (NDManager scope = manager.newSubManager();
                    GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = model.loss(scope, batch, true);
                loss = l.getFloat();
                gc.backward(l);
            }
            JniUtils.setGradMode(false);
            close(ref.path("loss").asDouble(), loss, TOL, fixture + " loss");

            Map<String, NDArray> trainable = model.trainable();
            double noise = 1e-6 * ref.path("gradNorm").asDouble();
            for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                JsonNode want = params.path(e.getKey());
                assertEquals(!want.path("decay").asBoolean(), model.noDecay(e.getKey()), "weight-decay group of " + e);
                float[] g = e.getValue().getGradient().toFloatArray();
                double norm = norm(g);
                if (want.path("gradNorm").asDouble() < noise) {
                    assertTrue(norm < noise, fixture + " |grad| of " + e.getKey() + " should be ~0, is " + norm);
                    continue;
                }
                close(want.path("gradNorm").asDouble(), norm, TOL, fixture + " |grad| of " + e.getKey());
                JsonNode idx = want.path("index");
                for (int k = 0; k < idx.size(); k++) {
                    double w = want.path("grad").get(k).asDouble();
                    double got = g[idx.get(k).asInt()];
                    assertTrue(
                            Math.abs(w - got) <= TOL * want.path("gradNorm").asDouble(),
                            fixture + " grad of " + e.getKey() + "[" + idx.get(k) + "]: " + got + " vs " + w);
                }
            }

            Map<String, NDArray> withGrad = new LinkedHashMap<>(trainable);
            double total = GradientClipping.clip(
                    withGrad.values(), ref.path("maxGradNorm").asDouble());
            close(ref.path("gradNorm").asDouble(), total, TOL, fixture + " global gradient norm");
            double lr = ref.path("lr").asDouble();
            new AdamW(
                            manager,
                            ref.path("beta1").asDouble(),
                            ref.path("beta2").asDouble(),
                            ref.path("eps").asDouble(),
                            ref.path("weightDecay").asDouble(),
                            model::noDecay)
                    .update(withGrad, lr);
            for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                JsonNode want = params.path(e.getKey());
                if (want.path("gradNorm").asDouble() < noise) {
                    continue;
                }
                float[] p = e.getValue().toFloatArray();
                close(want.path("afterNorm").asDouble(), norm(p), TOL, fixture + " |param| after of " + e.getKey());
                JsonNode idx = want.path("index");
                for (int k = 0; k < idx.size(); k++) {
                    double w = want.path("after").get(k).asDouble();
                    double got = p[idx.get(k).asInt()];
                    assertTrue(
                            Math.abs(w - got) <= TOL * Math.max(Math.abs(w), lr),
                            fixture + " " + e.getKey() + "[" + idx.get(k) + "] after the step: " + got + " vs " + w);
                }
            }
            model.close();
        }
    }

    /** The fixture's batch: masked rows with their labels, or causal rows labelled by {@link CausalBatches}. */
    private static MaskedBatch batch(JsonNode ref, Objective objective) {
        List<int[]> rows = new ArrayList<>();
        ref.path("rows").forEach(r -> rows.add(HfFixtures.ints(r)));
        int pad = ref.path("padId").asInt();
        if (objective == Objective.CAUSAL) {
            return new CausalBatches(pad).make(rows, null);
        }
        int len = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
        long[] ids = new long[rows.size() * len];
        int[] labels = new int[rows.size() * len];
        int[] lengths = new int[rows.size()];
        Arrays.fill(ids, pad);
        Arrays.fill(labels, MaskedBatch.IGNORE);
        for (int b = 0; b < rows.size(); b++) {
            int[] r = rows.get(b);
            int[] l = HfFixtures.ints(ref.path("labels").get(b));
            lengths[b] = r.length;
            for (int t = 0; t < r.length; t++) {
                ids[b * len + t] = r[t];
                labels[b * len + t] = l[t];
            }
        }
        return new MaskedBatch(ids, lengths, labels, rows.size(), len);
    }

    private static TreeSet<String> names(JsonNode params) {
        TreeSet<String> out = new TreeSet<>();
        params.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    private static void close(double want, double got, double rel, String what) {
        assertTrue(Math.abs(want - got) <= rel * Math.abs(want), what + ": " + got + " vs transformers " + want);
    }
}
