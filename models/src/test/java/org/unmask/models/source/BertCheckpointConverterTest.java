package org.unmask.models.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;
import org.unmask.models.safetensors.SafetensorsFile;
import org.unmask.models.safetensors.TensorInfo;

class BertCheckpointConverterTest {
    @TempDir
    Path tmp;

    private BertCheckpointConverter.Result convert(TfBundleFixture fixture, Path out) throws Exception {
        Path zip = fixture.writeZip(tmp.resolve("model.zip"));
        Files.createDirectories(out);
        return new BertCheckpointConverter(SavedModelArchive.ofZipFile(zip, "synthetic")).convert(out);
    }

    @Test
    void verifiesEveryTensorCrcAndWritesHfNamesWithTransposedKernels() throws Exception {
        TfBundleFixture fixture = new TfBundleFixture();
        Path out = tmp.resolve("out");
        BertCheckpointConverter.Result result = convert(fixture, out);

        int expected = 5 + 16 * 2 + 2 + 5;
        assertEquals(expected, result.sourceTensors());
        assertEquals(expected, result.crcVerified());
        assertEquals(expected, result.writtenTensors());
        assertEquals(TfBundleFixture.CONFIG, result.config());
        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertEquals(expected, st.tensors().size());
            assertEquals("pt", st.metadata().get("format"));
            assertFalse(st.find("cls.predictions.decoder.weight").isPresent());

            TensorInfo q = st.tensor("bert.encoder.layer.1.attention.self.query.weight");
            assertArrayEquals(new long[] {4, 4}, q.shape());
            TensorInfo inter = st.tensor("bert.encoder.layer.0.intermediate.dense.weight");
            assertArrayEquals(new long[] {8, 4}, inter.shape(), "TF kernel [in=4,out=8] becomes [out,in]");
            float[] kernel = fixture.values.get("module/bert/encoder/layer_0/intermediate/dense/kernel");
            float[] weight = st.readFloats(inter.name());
            for (int i = 0; i < 4; i++) {
                for (int o = 0; o < 8; o++) {
                    assertEquals(kernel[i * 8 + o], weight[o * 4 + i], "W[o][i] == K[i][o]");
                }
            }
            assertArrayEquals(
                    fixture.values.get("module/bert/embeddings/word_embeddings"),
                    st.readFloats("bert.embeddings.word_embeddings.weight"));
            assertArrayEquals(
                    fixture.values.get("module/cls/predictions/output_bias"), st.readFloats("cls.predictions.bias"));
            assertArrayEquals(
                    fixture.values.get("module/bert/encoder/layer_1/output/LayerNorm/gamma"),
                    st.readFloats("bert.encoder.layer.1.output.LayerNorm.weight"));
            assertArrayEquals(
                    fixture.values.get("module/cls/predictions/transform/LayerNorm/beta"),
                    st.readFloats("cls.predictions.transform.LayerNorm.bias"));
        }
    }

    @Test
    void unusedBytesBetweenTensorsAreSkipped() throws Exception {
        TfBundleFixture fixture = new TfBundleFixture().gapBetweenTensors(13);
        Path out = tmp.resolve("out");
        BertCheckpointConverter.Result result = convert(fixture, out);
        assertEquals(result.sourceTensors(), result.crcVerified());
        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertArrayEquals(
                    fixture.values.get("module/cls/predictions/output_bias"), st.readFloats("cls.predictions.bias"));
        }
    }

    @Test
    void writesHfConfigAndTokenizerFiles() throws Exception {
        Path out = tmp.resolve("out");
        convert(new TfBundleFixture(), out);
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(out.resolve("config.json").toFile());
        assertEquals("BertForMaskedLM", config.path("architectures").get(0).asText());
        assertEquals("bert", config.path("model_type").asText());
        assertEquals(12, config.path("vocab_size").asInt());
        assertEquals(4, config.path("hidden_size").asInt());
        assertEquals(2, config.path("num_hidden_layers").asInt());
        assertEquals(8, config.path("intermediate_size").asInt());
        assertEquals(6, config.path("max_position_embeddings").asInt());
        assertEquals(1e-12, config.path("layer_norm_eps").asDouble());
        assertEquals("gelu", config.path("hidden_act").asText());

        JsonNode tok = json.readTree(out.resolve("tokenizer.json").toFile());
        assertEquals("BertNormalizer", tok.path("normalizer").path("type").asText());
        assertTrue(tok.path("normalizer").path("lowercase").asBoolean());
        assertEquals("BertPreTokenizer", tok.path("pre_tokenizer").path("type").asText());
        assertEquals("WordPiece", tok.path("model").path("type").asText());
        assertEquals(12, tok.path("model").path("vocab").size());
        assertEquals(7, tok.path("model").path("vocab").path("man").asInt());
        assertEquals(5, tok.path("added_tokens").size());
        assertEquals(5, tok.path("added_tokens").get(4).path("id").asInt(), "[MASK] is id 5 in the fixture");
        assertEquals(
                3,
                tok.path("post_processor")
                        .path("special_tokens")
                        .path("[CLS]")
                        .path("ids")
                        .get(0)
                        .asInt());
        assertEquals(
                "[CLS]",
                tok.path("post_processor")
                        .path("single")
                        .get(0)
                        .path("SpecialToken")
                        .path("id")
                        .asText());
        assertEquals(Files.readString(out.resolve("vocab.txt")), String.join("\n", TfBundleFixture.VOCAB) + "\n");
        assertEquals(
                "[MASK]",
                json.readTree(out.resolve("special_tokens_map.json").toFile())
                        .path("mask_token")
                        .asText());
        assertTrue(json.readTree(out.resolve("tokenizer_config.json").toFile())
                .path("do_lower_case")
                .asBoolean());
    }

    @Test
    void corruptTensorBytesFailTheCrcCheckNamingTheTensor() throws IOException {
        String victim = "module/bert/encoder/layer_1/attention/output/dense/kernel";
        Path out = tmp.resolve("out");
        ModelException e =
                assertThrows(ModelException.class, () -> convert(new TfBundleFixture().corruptTensor(victim), out));
        assertTrue(e.getMessage().contains(victim) && e.getMessage().contains("CRC32C"), e.getMessage());
        assertTrue(e.hint().contains("corrupt"), e.hint());
        assertFalse(Files.exists(out.resolve("model.safetensors")), "no half-written weights are left");
        try (var files = Files.list(out)) {
            assertEquals(0, files.count(), "the writer's temp file is removed too");
        }
    }

    @Test
    void corruptIndexBlockIsReported() {
        ModelException e = assertThrows(
                ModelException.class, () -> convert(new TfBundleFixture().corruptIndexBlock(), tmp.resolve("out")));
        assertTrue(e.getMessage().contains("variables.index") && e.getMessage().contains("CRC32C"), e.getMessage());
    }

    @Test
    void missingTensorIsReported() {
        String missing = "module/cls/predictions/transform/dense/bias";
        ModelException e = assertThrows(
                ModelException.class, () -> convert(new TfBundleFixture().omit(missing), tmp.resolve("out")));
        assertTrue(e.getMessage().contains(missing + " is missing"), e.getMessage());
    }

    @Test
    void mapsTfVariableNamesToHfNames() {
        assertEquals(
                "bert.embeddings.word_embeddings.weight",
                BertCheckpointConverter.hfName("bert/embeddings/word_embeddings"));
        assertEquals(
                "bert.embeddings.LayerNorm.weight", BertCheckpointConverter.hfName("bert/embeddings/LayerNorm/gamma"));
        assertEquals(
                "bert.encoder.layer.11.attention.output.LayerNorm.bias",
                BertCheckpointConverter.hfName("bert/encoder/layer_11/attention/output/LayerNorm/beta"));
        assertEquals(
                "bert.encoder.layer.3.attention.self.key.weight",
                BertCheckpointConverter.hfName("bert/encoder/layer_3/attention/self/key/kernel"));
        assertEquals("bert.pooler.dense.bias", BertCheckpointConverter.hfName("bert/pooler/dense/bias"));
        assertEquals(
                "cls.predictions.transform.dense.weight",
                BertCheckpointConverter.hfName("cls/predictions/transform/dense/kernel"));
        assertEquals("cls.predictions.bias", BertCheckpointConverter.hfName("cls/predictions/output_bias"));
    }
}
