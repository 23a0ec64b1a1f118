package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.safetensors.SafetensorsFile;

class ScratchInitTest {
    @TempDir
    Path dir;

    @Test
    void initialisesAsHuggingFaceDoesForBertForMaskedLm() throws Exception {
        PretrainArch arch = new PretrainArch("t", false, 2, 32, 4, 64, 40);
        ScratchInit.writeBert(dir, arch, 500, 0, 0.1, 11);
        BertConfig c = BertConfig.from(ModelConfig.read(dir));
        assertEquals(32, c.hidden());
        assertEquals(2, c.layers());
        assertEquals(500, c.vocab());
        JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertEquals("BertForMaskedLM", cfg.path("architectures").get(0).asText());
        assertEquals(0.02, cfg.path("initializer_range").asDouble());
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            assertTrue(!f.tensors().containsKey("cls.predictions.decoder.weight"), "decoder tied, not stored");
            assertTrue(!f.tensors().containsKey("bert.pooler.dense.weight"), "BertForMaskedLM has no pooler");
            float[] emb = f.readFloats("bert.embeddings.word_embeddings.weight");
            for (int i = 0; i < 32; i++) {
                assertEquals(0f, emb[i], "padding row is zero");
            }
            double sum = 0;
            double sq = 0;
            for (int i = 32; i < emb.length; i++) {
                sum += emb[i];
                sq += emb[i] * (double) emb[i];
            }
            int n = emb.length - 32;
            double mean = sum / n;
            double sd = Math.sqrt(sq / n - mean * mean);
            assertEquals(0, mean, 0.002);
            assertEquals(0.02, sd, 0.001);
            for (float v : f.readFloats("bert.encoder.layer.1.output.LayerNorm.weight")) {
                assertEquals(1f, v);
            }
            for (String zero : new String[] {
                "bert.encoder.layer.0.attention.self.query.bias",
                "bert.encoder.layer.0.output.LayerNorm.bias",
                "cls.predictions.bias"
            }) {
                for (float v : f.readFloats(zero)) {
                    assertEquals(0f, v, zero);
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameInitialWeights() throws Exception {
        PretrainArch arch = new PretrainArch("t", false, 1, 16, 2, 32, 16);
        ScratchInit.writeBert(dir.resolve("a"), arch, 100, 0, 0.1, 5);
        ScratchInit.writeBert(dir.resolve("b"), arch, 100, 0, 0.1, 5);
        ScratchInit.writeBert(dir.resolve("c"), arch, 100, 0, 0.1, 6);
        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertTrue(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("b/model.safetensors"))));
        assertTrue(!java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/model.safetensors"))));
    }

    @Test
    void presetSizesAreTheBertMiniatures() throws Exception {
        PretrainArch mini = PretrainArch.of("bert-mini");
        assertEquals(4, mini.layers());
        assertEquals(256, mini.hidden());
        assertEquals(4, mini.heads());
        PretrainArch small = PretrainArch.of("BERT-SMALL");
        assertEquals(512, small.hidden());
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                org.unmask.core.error.InvalidInputException.class, () -> PretrainArch.of("bert-huge"));
        assertTrue(e.getMessage().contains("bert-huge"));
    }
}
