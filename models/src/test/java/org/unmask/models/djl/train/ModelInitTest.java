package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.TokenScorer;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.safetensors.SafetensorsFile;

/** From-scratch weights: HF's names, shapes and init distributions; a pure function of (config, seed). */
class ModelInitTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws Exception {
        return Path.of(ModelInitTest.class
                .getClassLoader()
                .getResource("fixtures/" + name)
                .toURI());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bert-mlm", "roberta-mlm", "distilbert-mlm", "gpt2", "llama", "qwen2", "mistral"})
    void namesAndShapesAreThoseTransformersSaves(String name) throws Exception {
        Path f = fixture(name);
        Map<String, ModelInit.Tensor> init = ModelInit.fromScratch(ModelConfig.read(f), 1);
        Map<String, List<Long>> want = new TreeMap<>();
        try (SafetensorsFile s = SafetensorsFile.open(f.resolve("model.safetensors"))) {
            s.tensors()
                    .forEach((k, t) ->
                            want.put(k, Arrays.stream(t.shape()).boxed().toList()));
        }
        Map<String, List<Long>> got = new TreeMap<>();
        init.forEach((k, t) -> got.put(k, Arrays.stream(t.shape()).boxed().toList()));
        assertEquals(want, got);
    }

    @Test
    void gpt2DrawsHfDistributionsAndScalesResidualProjections() throws Exception {
        Map<String, ModelInit.Tensor> w = ModelInit.fromScratch(ModelConfig.read(fixture("gpt2")), 3);
        // fixture: n_layer 2, initializer_range 0.02 -> c_proj std 0.02 / sqrt(4) = 0.01
        assertEquals(0.02, std(w.get("transformer.wte.weight").values()), 0.002);
        assertEquals(0.02, std(w.get("transformer.h.0.mlp.c_fc.weight").values()), 0.002);
        assertEquals(0.01, std(w.get("transformer.h.1.attn.c_proj.weight").values()), 0.001);
        assertEquals(0.01, std(w.get("transformer.h.0.mlp.c_proj.weight").values()), 0.001);
        assertTrue(all(w.get("transformer.h.0.attn.c_attn.bias").values(), 0f));
        assertTrue(all(w.get("transformer.h.0.ln_1.weight").values(), 1f));
        assertTrue(all(w.get("transformer.ln_f.bias").values(), 0f));
        assertFalse(w.containsKey("lm_head.weight"), "the LM head stays tied to wte");
    }

    @Test
    void bertFamilyZeroesPaddingRowsAndInitialisesNormsToOneAndZero() throws Exception {
        Map<String, ModelInit.Tensor> b = ModelInit.fromScratch(ModelConfig.read(fixture("bert-mlm")), 3);
        ModelInit.Tensor emb = b.get("bert.embeddings.word_embeddings.weight");
        int h = (int) emb.shape()[1];
        assertTrue(all(Arrays.copyOfRange(emb.values(), 0, h), 0f), "row of pad_token_id 0");
        assertEquals(0.02, std(emb.values()), 0.002);
        assertTrue(all(b.get("bert.embeddings.LayerNorm.weight").values(), 1f));
        assertTrue(all(b.get("cls.predictions.bias").values(), 0f));
        assertFalse(b.containsKey("cls.predictions.decoder.weight"), "the decoder stays tied");
        Map<String, ModelInit.Tensor> r = ModelInit.fromScratch(ModelConfig.read(fixture("roberta-mlm")), 3);
        ModelInit.Tensor pos = r.get("roberta.embeddings.position_embeddings.weight");
        int pad = 1;
        assertTrue(all(Arrays.copyOfRange(pos.values(), pad * h, (pad + 1) * h), 0f), "RoBERTa's padding position");
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherWeights() throws Exception {
        ModelConfig c = ModelConfig.read(fixture("llama"));
        Map<String, ModelInit.Tensor> a = ModelInit.fromScratch(c, 11);
        Map<String, ModelInit.Tensor> b = ModelInit.fromScratch(c, 11);
        Map<String, ModelInit.Tensor> other = ModelInit.fromScratch(c, 12);
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).values(), b.get(k).values(), k);
        }
        String q = "model.layers.0.self_attn.q_proj.weight";
        assertFalse(Arrays.equals(a.get(q).values(), other.get(q).values()));
        assertFalse(
                Arrays.equals(
                        a.get(q).values(),
                        a.get("model.layers.1.self_attn.q_proj.weight").values()),
                "every tensor draws from its own stream");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bert-mlm", "roberta-mlm", "distilbert-mlm", "gpt2", "llama"})
    void writtenWeightsLoadAndScoreThroughUnmasksLoaders(String name) throws Exception {
        Path f = fixture(name);
        Path out = Files.createDirectories(dir.resolve(name));
        for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(f.resolve(file), out.resolve(file));
        }
        ModelInit.write(
                out.resolve("model.safetensors"),
                ModelInit.fromScratch(ModelConfig.read(f), 5),
                Map.of("producer", "ModelInitTest"));
        try (LanguageModel lm = ModelLoader.load(out.toString(), Backend.TORCH)) {
            int[] ids = lm.tokenizer().encode("the man works as a doctor").ids();
            List<List<LogProbs>> r = ((TokenScorer) lm)
                    .score(List.of(new LogProbQuery(ids, List.of(new LogProbQuery.Read(1, 0, new int[] {ids[1]})))));
            double lp = r.get(0).get(0).tokenLogProbs()[0];
            assertTrue(Double.isFinite(lp) && lp < 0, name + ": " + lp);
        }
    }

    @Test
    void unsupportedArchitectureIsOneClearError() throws Exception {
        ModelException e =
                assertThrows(ModelException.class, () -> ModelInit.fromScratch(ModelConfig.read(fixture("bloom")), 1));
        assertTrue(e.getMessage().contains("from-scratch initialisation of \"BloomForCausalLM\""), e.getMessage());
    }

    private static double std(float[] v) {
        double s = 0;
        double s2 = 0;
        for (float x : v) {
            s += x;
            s2 += (double) x * x;
        }
        double m = s / v.length;
        return Math.sqrt(s2 / v.length - m * m);
    }

    private static boolean all(float[] v, float x) {
        for (float y : v) {
            if (y != x) {
                return false;
            }
        }
        return true;
    }
}
