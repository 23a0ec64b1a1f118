package org.unmask.models.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.testing.RealModel;
import org.unmask.models.safetensors.SafetensorsFile;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.safetensors.TensorInfo;

/**
 * The one real conversion of the embedded Google BERT-Base Uncased checkpoint (about 10 s on a quiet machine),
 * raced by two threads of this JVM and a second JVM on the same temporary cache; every test here reuses it.
 */
@RealModel
class EmbeddedBertRealConversionTest {
    @TempDir
    static Path cache;

    private static Path dir;
    private static final List<String> notices = Collections.synchronizedList(new ArrayList<>());
    private static final List<String> childOutput = new ArrayList<>();

    @BeforeAll
    static void convertOnceWhileTwoThreadsAndAProcessRace() throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-cp",
                        System.getProperty("java.class.path"),
                        EnsureEmbeddedChild.class.getName(),
                        cache.toString())
                .redirectErrorStream(true)
                .start();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return new EmbeddedBertCheckpoint(cache, notices::add).ensure();
                }));
            }
            start.countDown();
            dir = results.get(0).get(5, TimeUnit.MINUTES);
            assertEquals(dir, results.get(1).get(5, TimeUnit.MINUTES));
        } finally {
            pool.shutdownNow();
        }
        try (InputStream out = child.getInputStream()) {
            childOutput.addAll(new String(out.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList());
        }
        assertTrue(child.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, child.exitValue(), String.join("\n", childOutput));
    }

    @Test
    void exactlyOneOfTheRacersConverted() {
        long conversions =
                notices.stream().filter(n -> n.contains("converting")).count()
                        + childOutput.stream()
                                .filter(n -> n.startsWith("NOTICE") && n.contains("converting"))
                                .count();
        assertEquals(1, conversions, notices + " / " + childOutput);
        assertTrue(childOutput.contains("DIR " + dir), childOutput.toString());
    }

    @Test
    void manifestRecordsAllSourceTensorsCrcVerifiedAndTheKnownHashes() throws IOException {
        JsonNode m =
                new ObjectMapper().readTree(dir.resolve(CheckpointManifest.FILE).toFile());
        assertEquals(204, m.path("source").path("tensors").asInt());
        assertEquals(204, m.path("source").path("crc32cVerified").asInt());
        assertEquals(204, m.path("safetensorsTensors").asInt());
        assertEquals(
                SavedModelArchive.ARTIFACT, m.path("source").path("artifact").asText());
        // published in the model-sourcing note: jar sha256 and variables.data sha256 (f5b90eb9…6b0793)
        assertEquals(
                "799a7cfc05f7a92d997e3ce27a42bce32712b04ce87f9175bf0fd9484c7e5623",
                m.path("source").path("sha256").asText());
        String data = m.path("source").path("variablesDataSha256").asText();
        assertTrue(data.startsWith("f5b90eb9") && data.endsWith("6b0793"), data);
        assertEquals(440_443_456L, Files.size(dir.resolve("model.safetensors")), "same size as the Python converter");
        assertEquals(
                m.path("files").path("model.safetensors").path("sha256").asText(),
                CheckpointManifest.sha256(dir.resolve("model.safetensors")));
    }

    @Test
    void safetensorsHasHfNamesAndShapes() throws Exception {
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(dir)) {
            assertEquals(204, ckpt.tensors().size());
            assertArrayEquals(
                    new long[] {30522, 768},
                    ckpt.tensor("bert.embeddings.word_embeddings.weight").shape());
            assertArrayEquals(
                    new long[] {512, 768},
                    ckpt.tensor("bert.embeddings.position_embeddings.weight").shape());
            assertArrayEquals(
                    new long[] {30522}, ckpt.tensor("cls.predictions.bias").shape());
            assertArrayEquals(
                    new long[] {768, 768},
                    ckpt.tensor("bert.encoder.layer.0.attention.self.query.weight")
                            .shape());
            assertArrayEquals(
                    new long[] {3072, 768},
                    ckpt.tensor("bert.encoder.layer.11.intermediate.dense.weight")
                            .shape());
            assertArrayEquals(
                    new long[] {768, 3072},
                    ckpt.tensor("bert.encoder.layer.11.output.dense.weight").shape());
            assertArrayEquals(
                    new long[] {768},
                    ckpt.tensor("cls.predictions.transform.LayerNorm.weight").shape());
            assertFalse(ckpt.contains("cls.predictions.decoder.weight"), "tied to the word embeddings");
            for (TensorInfo t : ckpt.tensors().values()) {
                assertTrue(t.name().startsWith("bert.") || t.name().startsWith("cls."), t.name());
                assertFalse(
                        t.name().contains("/")
                                || t.name().contains("kernel")
                                || t.name().contains("gamma"),
                        t.name());
            }
        }
    }

    @Test
    void kernelsAreTransposedAndEmbeddingsCopiedAgainstTheSourceBytes() throws Exception {
        // independent read of the source: the first 100 MB of variables.data and the bundle index, in one pass
        int limit = 100 << 20;
        byte[] head = new byte[limit];
        byte[] indexBytes = null;
        try (SavedModelArchive.Opened opened = SavedModelArchive.embedded().open(false)) {
            ZipInputStream zip = opened.savedModel();
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(BertCheckpointConverter.DATA_ENTRY)) {
                    assertEquals(limit, zip.readNBytes(head, 0, limit));
                } else if (e.getName().equals(BertCheckpointConverter.INDEX_ENTRY)) {
                    indexBytes = zip.readAllBytes();
                }
            }
        }
        TfBundleIndex index = TfBundleIndex.parse(indexBytes, "variables.index");
        TfBundleIndex.Entry kernel = entry(index, "module/bert/encoder/layer_0/attention/self/query/kernel");
        TfBundleIndex.Entry words = entry(index, "module/bert/embeddings/word_embeddings");
        assertTrue(kernel.offset() + kernel.size() <= limit && words.offset() + words.size() <= limit);
        float[] k = floats(head, kernel);
        try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            float[] w = st.readFloats("bert.encoder.layer.0.attention.self.query.weight");
            for (int i = 0; i < 768; i++) {
                for (int j = 0; j < 768; j++) {
                    assertEquals(k[i * 768 + j], w[j * 768 + i], "K[i][j] == W[j][i]");
                }
            }
            assertTrue(k[1] != k[768], "the kernel is not symmetric, so the check above is meaningful");
            assertArrayEquals(floats(head, words), st.readFloats("bert.embeddings.word_embeddings.weight"));
        }
    }

    @Test
    void tokenizerJsonLoadsInHfTokenizersAndGivesBertIds() throws Exception {
        assertEquals(
                "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
                CheckpointManifest.sha256(dir.resolve("vocab.txt")),
                "the HF bert-base-uncased vocab");
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"))) {
            Encoding enc = tok.encode("This man works as a [MASK].");
            assertArrayEquals(new long[] {101, 2023, 2158, 2573, 2004, 1037, 103, 1012, 102}, enc.getIds());
            assertArrayEquals(
                    new String[] {"[CLS]", "cafe", "naive", "[SEP]"},
                    tok.encode("Café naïve").getTokens());
        }
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertEquals(30522, config.path("vocab_size").asInt());
        assertEquals(12, config.path("num_attention_heads").asInt());
        assertEquals(12, config.path("num_hidden_layers").asInt());
        assertEquals(3072, config.path("intermediate_size").asInt());
        assertEquals(2, config.path("type_vocab_size").asInt());
        assertEquals(0, config.path("pad_token_id").asInt());
    }

    private static TfBundleIndex.Entry entry(TfBundleIndex index, String name) {
        return index.entries().stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static float[] floats(byte[] data, TfBundleIndex.Entry e) {
        float[] out = new float[(int) (e.size() / 4)];
        ByteBuffer.wrap(data, (int) e.offset(), (int) e.size())
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(out);
        return out;
    }
}
