package org.unmask.models.onnxgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.TokenScorer;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.Precision;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.fixtures.FixtureCopies;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.safetensors.ShardedCheckpoint;

/**
 * The generated ONNX graph bakes in config numbers (layers, attention scale, epsilon), so its cache entry must be keyed
 * by the config too, not by the weights alone: a copy of a model folder with an edited config.json, or a config that
 * fails, must never change what the real folder answers. Exports are atomic and leave no temp folders.
 */
class OnnxExportCacheTest {
    private static final String TEXT = "the nurse said that [MASK] was tired.";

    @TempDir
    Path tmp;

    @Test
    void aCopyWithOtherHeadsDoesNotChangeTheRealModelsAnswers() throws Exception {
        // the same weights file, and a head count (baked into the graph's attention scale) that differs
        Path edited = FixtureCopies.editConfig(
                FixtureCopies.copy("bert-mlm", tmp.resolve("edited")), c -> c.put("num_attention_heads", 2));
        Path real = FixtureCopies.copy("bert-mlm", tmp.resolve("real"));
        Path cache = tmp.resolve("cache");
        float[] editedScores = scores(edited, cache);
        float[] realAfterEdited = scores(real, cache);
        float[] realFresh = scores(real, tmp.resolve("fresh-cache"));
        assertTrue(maxDiff(editedScores, realFresh) > 1e-3, "the edited config must give other numbers");
        assertEquals(0, maxDiff(realAfterEdited, realFresh), 1e-6, "the real folder reused the edited graph");
        noTempLeftovers(cache);
    }

    @Test
    void aConfigWithAnotherLayerNormEpsilonGetsItsOwnExport() throws Exception {
        Path a = FixtureCopies.copy("bert-mlm", tmp.resolve("a"));
        Path b = FixtureCopies.editConfig(
                FixtureCopies.copy("bert-mlm", tmp.resolve("b")), c -> c.put("layer_norm_eps", 0.5));
        Path cache = tmp.resolve("cache");
        float[] sa = scores(a, cache);
        float[] sb = scores(b, cache);
        assertTrue(maxDiff(sa, sb) > 1e-4, "epsilon 0.5 must change the numbers");
        try (Stream<Path> exports = Files.list(cache.resolve("onnx"))) {
            assertEquals(2, exports.count(), "one export per config");
        }
    }

    @Test
    void fewerLayersInTheConfigThanInTheWeightsIsAnErrorAndDoesNotPoisonTheCache() throws Exception {
        Path shallow = FixtureCopies.editConfig(
                FixtureCopies.copy("bert-mlm", tmp.resolve("one-layer")), c -> c.put("num_hidden_layers", 1));
        Path cache = tmp.resolve("cache");
        ModelException e = assertThrows(ModelException.class, () -> scores(shallow, cache));
        assertTrue(
                e.getMessage().contains("num_hidden_layers") && e.getMessage().contains("encoder.layer.1"),
                e.getMessage());
        Path real = FixtureCopies.copy("bert-mlm", tmp.resolve("real"));
        assertEquals(0, maxDiff(scores(real, cache), scores(real, tmp.resolve("fresh"))), 1e-6);
    }

    @Test
    void negativeHeadsAreAnErrorAndTheRealModelStaysFinite() throws Exception {
        Path bad = FixtureCopies.editConfig(
                FixtureCopies.copy("bert-mlm", tmp.resolve("bad")), c -> c.put("num_attention_heads", -12));
        Path cache = tmp.resolve("cache");
        ModelException e = assertThrows(ModelException.class, () -> scores(bad, cache));
        assertTrue(e.getMessage().contains("num_attention_heads"), e.getMessage());
        float[] real = scores(FixtureCopies.copy("bert-mlm", tmp.resolve("real")), cache);
        for (float x : real) {
            assertTrue(Float.isFinite(x), "non-finite score after a failed export");
        }
        noTempLeftovers(cache);
    }

    @Test
    void anExportThatFailsLeavesNoFolderBehind() throws Exception {
        Path dir = FixtureCopies.fixture("bert-mlm");
        BertConfig good = BertConfig.from(ModelConfig.read(dir));
        // more layers than the checkpoint holds: the graph builder misses a tensor (the loader checks this first;
        // the exporter must still clean up when called directly)
        BertConfig tooDeep = new BertConfig(
                good.family(),
                good.hidden(),
                good.layers() + 1,
                good.heads(),
                good.intermediate(),
                good.maxPositions(),
                good.vocab(),
                good.layerNormEps(),
                good.padId());
        Path cache = tmp.resolve("cache");
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(dir)) {
            String sha = FileHashes.weightsSha256(dir);
            assertThrows(ModelException.class, () -> BertOnnxExport.export(ckpt, tooDeep, sha, cache));
            if (Files.isDirectory(cache.resolve("onnx"))) {
                try (Stream<Path> left = Files.list(cache.resolve("onnx"))) {
                    assertEquals(List.of(), left.toList());
                }
            }
            Path model = BertOnnxExport.export(ckpt, good, sha, cache);
            assertTrue(Files.isRegularFile(model));
        }
        noTempLeftovers(cache);
    }

    @Test
    void anExportWrittenUnderTheOldWeightsOnlyKeyIsNeverUsed() throws Exception {
        Path dir = FixtureCopies.fixture("bert-mlm");
        String sha = FileHashes.weightsSha256(dir);
        Path cache = tmp.resolve("cache");
        // what the old code wrote, and would have found again: <weights sha16>-bert-v2/model.onnx
        Path old = cache.resolve("onnx").resolve(sha.substring(0, 16) + "-bert-v2");
        Files.createDirectories(old);
        Files.writeString(old.resolve("model.onnx"), "not a graph");
        float[] s = scores(FixtureCopies.copy("bert-mlm", tmp.resolve("real")), cache);
        assertEquals(0, maxDiff(s, scores(dir, tmp.resolve("fresh"))), 1e-6);
    }

    @Test
    void anExportOfThePreviousGraphVersionIsNeverReused() throws Exception {
        Path dir = FixtureCopies.copy("bert-mlm", tmp.resolve("real"));
        Path cache = tmp.resolve("cache");
        BertConfig c = BertConfig.from(ModelConfig.read(dir));
        String sha = FileHashes.weightsSha256(dir);
        String old;
        String now;
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(dir)) {
            old = BertOnnxExport.folderName(ckpt, c, sha, BertOnnxExport.GRAPH_VERSION - 1);
            now = BertOnnxExport.folderName(ckpt, c, sha);
        }
        // the key itself changes with the version, not only the folder's prefix
        assertNotEquals(old.substring(old.lastIndexOf('-')), now.substring(now.lastIndexOf('-')));
        // exactly where the previous exporter would have found its graph for this checkpoint
        Path stale = cache.resolve("onnx").resolve(old);
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("model.onnx"), "not a graph");
        assertEquals(0, maxDiff(scores(dir, cache), scores(dir, tmp.resolve("fresh"))), 1e-6);
        assertTrue(Files.isRegularFile(cache.resolve("onnx").resolve(now).resolve("model.onnx")));
        assertEquals("not a graph", Files.readString(stale.resolve("model.onnx")), "the old folder was opened");
    }

    @Test
    void theCacheKeyChangesWithTheConfigAndTheWeights() throws Exception {
        Path dir = FixtureCopies.fixture("bert-mlm");
        BertConfig c = BertConfig.from(ModelConfig.read(dir));
        BertConfig otherEps = new BertConfig(
                c.family(),
                c.hidden(),
                c.layers(),
                c.heads(),
                c.intermediate(),
                c.maxPositions(),
                c.vocab(),
                1e-5f,
                c.padId());
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(dir)) {
            String k = BertOnnxExport.cacheKey(ckpt, c, "a".repeat(64));
            assertEquals(k, BertOnnxExport.cacheKey(ckpt, c, "a".repeat(64)));
            assertNotEquals(k, BertOnnxExport.cacheKey(ckpt, otherEps, "a".repeat(64)));
            assertNotEquals(k, BertOnnxExport.cacheKey(ckpt, c, "b".repeat(64)));
        }
    }

    @Test
    void theInt8GraphHasItsOwnFolderAndLeavesTheFp32GraphAndKeyAsTheyWere() throws Exception {
        Path dir = FixtureCopies.fixture("bert-mlm");
        BertConfig c = BertConfig.from(ModelConfig.read(dir));
        Path cache = tmp.resolve("cache");
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(dir)) {
            String sha = FileHashes.weightsSha256(dir);
            GraphExport fp32 = BertOnnxExport.exportGraph(ckpt, c, sha, cache);
            GraphExport int8 = BertOnnxExport.exportGraph(ckpt, c, sha, cache, Precision.INT8);
            assertEquals(
                    BertOnnxExport.folderName(ckpt, c, sha),
                    fp32.model().getParent().getFileName().toString());
            String folder = int8.model().getParent().getFileName().toString();
            assertTrue(folder.startsWith("bert-g" + BertOnnxExport.GRAPH_VERSION + "-int8-"), folder);
            assertNotEquals(folder.substring(folder.lastIndexOf('-') + 1), BertOnnxExport.cacheKey(ckpt, c, sha));
            assertEquals(List.of(), fp32.quantized());
            // per column: Q, K, V, attention output and feed-forward in per layer, the head's transform and
            // vocabulary projection; in blocks (MatMulNBits): the feed-forward output per layer
            assertEquals(
                    5 * c.layers() + 2,
                    int8.quantized().stream()
                            .filter(q -> q.scheme() == GraphExport.Scheme.INT8_COLUMNS)
                            .count());
            assertEquals(
                    c.layers(),
                    int8.quantized().stream()
                            .filter(q -> q.scheme() == GraphExport.Scheme.NBITS_BLOCKS && q.bits() == 8)
                            .count());
            assertTrue(Files.readString(int8.model(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains(BertOnnxExport.INT8_OP));
        }
    }

    /** Log-probabilities of the whole vocabulary at the mask of {@link #TEXT}, on ONNX Runtime. */
    private static float[] scores(Path dir, Path cache) throws UnmaskException {
        try (LanguageModel lm = ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache)) {
            TokenScorer s = (TokenScorer) lm;
            int[] ids = s.tokenizer()
                    .encode(TEXT.replace("[MASK]", s.tokenizer().maskToken()))
                    .ids();
            int p = 0;
            while (ids[p] != s.tokenizer().maskTokenId()) {
                p++;
            }
            int[] all = IntStream.range(0, s.tokenizer().vocabularySize()).toArray();
            LogProbs lp = s.score(List.of(new LogProbQuery(ids, List.of(new LogProbQuery.Read(p, 0, all)))))
                    .get(0)
                    .get(0);
            return lp.tokenLogProbs();
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static void noTempLeftovers(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache.resolve("onnx"))) {
            List<String> temps = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".tmp"))
                    .toList();
            assertEquals(List.of(), temps, "temp folders left in the ONNX cache");
        }
    }
}
