package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unmask.core.request.GenerationRequest;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.Precision;
import org.unmask.models.fixtures.HfFixtures;
import org.unmask.models.onnxgen.OrtCausalLm;

/**
 * The ONNX Runtime decoder against the libtorch one on the same tiny checkpoints: seeded sampling draws the same
 * continuations (the sampling loop is shared, the logits agree to float rounding), each generated token costs one
 * ONNX Runtime run, and the export folder is reused for the same model and rebuilt for another.
 */
class OrtCausalLmTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama", "llama-gqa", "mistral-tied", "olmo", "olmo2", "bloom"})
    void seededSamplesAreByteIdenticalOnBothBackends(String family) throws Exception {
        List<GenerationRequest> reqs = new ArrayList<>();
        for (long seed = 1; seed <= 6; seed++) {
            reqs.add(new GenerationRequest("The nurse said", 12, 1.0, 0, 0.9, seed));
        }
        reqs.add(new GenerationRequest("The man works as a", 9, 0.7, 5, 1, 3));
        reqs.add(new GenerationRequest("The man works as a", 9, 0, 0, 1, 0));
        List<String> torch;
        try (DecoderLm lm = CausalLmTest.open(family, tmp.resolve("torch"), Backend.TORCH)) {
            torch = lm.generateAll(reqs);
        }
        try (DecoderLm lm = CausalLmTest.open(family, tmp.resolve("onnx"), Backend.ONNX)) {
            assertEquals(torch, lm.generateAll(reqs));
            assertEquals(torch.get(0), lm.generate(reqs.get(0)), "one by one as batched");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama-gqa", "bloom"})
    void eachGeneratedTokenIsOneOnnxRuntimeRun(String family) throws Exception {
        try (DecoderLm lm = CausalLmTest.open(family, tmp, Backend.ONNX)) {
            OrtCausalLm ort = (OrtCausalLm) lm;
            int[] prompt = lm.promptIds("The man works as a");
            long before = ort.runs();
            int[] made = lm.generateIds(prompt, 16, Sampler.greedy(), true);
            // the prompt's run yields the first token; an end-of-text draw costs one run more and yields none
            assertEquals(made.length + (made.length < 16 ? 1 : 0), ort.runs() - before, "runs for " + made.length);
            List<Sampler> samplers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                samplers.add(new Sampler(1.0, 0, 1, i));
            }
            int[] limits = {5, 5, 5, 5, 5, 5, 5, 5};
            before = ort.runs();
            int[][] rows = lm.sampleBatch(prompt, samplers, limits);
            int longest = Stream.of(rows).mapToInt(r -> r.length).max().orElse(0);
            assertTrue(ort.runs() - before <= 5, "8 samples of 5 tokens took " + (ort.runs() - before) + " runs");
            assertTrue(ort.runs() - before >= longest, "fewer runs than tokens in the longest sample");
        }
    }

    @Test
    void exportIsReusedForTheSameModelAndRebuiltWhenTheConfigChanges() throws Exception {
        Path dir = tinyGpt2(11);
        Path cache = tmp.resolve("cache");
        float[] first;
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache)) {
            first = lm.allLogits(lm.promptIds("The man"));
        }
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache)) {
            assertArrayEquals(first, lm.allLogits(lm.promptIds("The man")));
        }
        assertEquals(1, exports(cache), "the second load reuses the export");
        ObjectNode config = (ObjectNode)
                TinyCheckpoints.JSON.readTree(dir.resolve("config.json").toFile());
        config.put("layer_norm_epsilon", 0.5);
        TinyCheckpoints.JSON.writeValue(dir.resolve("config.json").toFile(), config);
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache)) {
            float[] changed = lm.allLogits(lm.promptIds("The man"));
            assertNotEquals(first[0], changed[0], "a baked epsilon must not be served from the old export");
        }
        assertEquals(2, exports(cache), "another epsilon, another export folder");
    }

    @Test
    void exportFolderHoldsOnlyTheGraphAndTheSessionMapsTheWeights() throws Exception {
        // ONNX Runtime 1.24+ refuses external data reached through a link from outside the model folder: the export
        // must not link the weights, and the model must still load and score from the checkpoint in place
        Path dir = tinyGpt2(5);
        Path cache = tmp.resolve("cache");
        float[] torch;
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.TORCH, cache)) {
            torch = lm.allLogits(lm.promptIds("The man"));
        }
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache)) {
            assertInstanceOf(OrtCausalLm.class, lm);
            float[] ort = lm.allLogits(lm.promptIds("The man"));
            assertEquals(torch.length, ort.length);
            for (int i = 0; i < ort.length; i++) {
                assertEquals(torch[i], ort[i], 1e-4, "logit " + i);
            }
        }
        try (Stream<Path> s = Files.walk(cache.resolve("onnx"))) {
            List<Path> files = s.filter(p -> !Files.isDirectory(p)).toList();
            assertEquals(1, files.size(), "only the graph: " + files);
            assertEquals("model.onnx", files.get(0).getFileName().toString());
            assertTrue(files.stream().noneMatch(Files::isSymbolicLink));
        }
    }

    @Test
    void int8RunsOnOnnxRuntimeUnderAutoAndOnnxAndOnLibtorchWhenTorchIsAsked() throws Exception {
        Path dir = tinyGpt2(5);
        Path cache = tmp.resolve("cache");
        for (Backend b : new Backend[] {Backend.AUTO, Backend.ONNX}) {
            try (var lm = ModelLoader.load("m", dir, Map.of(), b, cache, Precision.INT8)) {
                OrtCausalLm ort = assertInstanceOf(OrtCausalLm.class, lm, b.name());
                assertEquals(Precision.INT8, ort.precision());
                assertEquals("int8", lm.info().lineage().get("precision"));
                assertEquals(
                        "onnxruntime-matmulnbits-b32-a8",
                        lm.info().lineage().get("precision.scheme"),
                        "libtorch's int8 is another scheme: journals must not mix them");
                assertEquals(null, lm.info().lineage().get("backend.fallback"));
                assertTrue(
                        lm.info().backend().contains("MatMulNBits"), lm.info().backend());
                assertTrue(
                        lm.info().backend().contains("max |delta log-prob| <= 1.0"),
                        lm.info().backend());
            }
        }
        try (var lm = ModelLoader.load("m", dir, Map.of(), Backend.TORCH, cache, Precision.INT8)) {
            assertEquals(Precision.INT8, assertInstanceOf(CausalLm.class, lm).precision());
        }
    }

    @Test
    void int8QuantisesHalfPrecisionCheckpointsOnOnnxRuntimeWhileFp32LeavesThemToLibtorch() throws Exception {
        for (String name : new String[] {"gpt2-f16", "llama-bf16-sharded"}) {
            Path f = HfFixtures.folders("causal").stream()
                    .filter(p -> p.getFileName().toString().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("fixture " + name + " missing: " + HfFixtureParityTest.HOW));
            float[] fp32;
            try (var lm = ModelLoader.load(name, f, Map.of(), Backend.AUTO, tmp.resolve("cache"))) {
                fp32 = ((DecoderLm) assertInstanceOf(CausalLm.class, lm, "fp32 of a half checkpoint: libtorch"))
                        .allLogits(((DecoderLm) lm).promptIds("The man works"));
            }
            try (var lm = ModelLoader.load(name, f, Map.of(), Backend.AUTO, tmp.resolve("cache"), Precision.INT8)) {
                DecoderLm ort = assertInstanceOf(OrtCausalLm.class, lm, name + " in int8");
                float[] int8 = ort.allLogits(ort.promptIds("The man works"));
                double worst = 0;
                for (int i = 0; i < fp32.length; i++) {
                    worst = Math.max(worst, Math.abs(fp32[i] - int8[i]));
                }
                assertTrue(worst > 0 && worst < 1, name + ": int8 logits near fp32's, not equal: " + worst);
            }
        }
    }

    @Test
    void int8AndFp32GraphsAreCachedApartAndNeitherServesTheOther() throws Exception {
        Path dir = tinyGpt2(9);
        Path cache = tmp.resolve("cache");
        float[] fp32;
        float[] int8;
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache)) {
            fp32 = lm.allLogits(lm.promptIds("The man works"));
        }
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache, Precision.INT8)) {
            int8 = lm.allLogits(lm.promptIds("The man works"));
        }
        assertEquals(2, exports(cache), "one folder per precision");
        double worst = 0;
        for (int i = 0; i < fp32.length; i++) {
            worst = Math.max(worst, Math.abs(fp32[i] - int8[i]));
        }
        assertTrue(worst > 0, "the int8 graph must not be the fp32 one");
        assertTrue(worst < 1, "int8 logits stay near fp32 ones: " + worst);
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache)) {
            assertArrayEquals(fp32, lm.allLogits(lm.promptIds("The man works")), "fp32 again, from its own folder");
        }
        try (Stream<Path> s = Files.walk(cache.resolve("onnx"))) {
            List<String> files = s.filter(p -> !Files.isDirectory(p))
                    .map(p -> p.getParent().getFileName() + "/" + p.getFileName())
                    .sorted()
                    .toList();
            assertEquals(4, files.size(), "two graphs, the int8 folder's quantised weights and their hash: " + files);
            assertTrue(
                    files.stream().filter(f -> f.contains("/quantized-v1.bin")).allMatch(f -> f.contains("-int8-")),
                    "the quantised weights lie in the int8 folder only: " + files);
        }
    }

    @Test
    void int8WeightsAreQuantisedOnceIntoAFileBesideTheGraphThatLaterLoadsReuse() throws Exception {
        Path dir = tinyGpt2(11);
        Path cache = tmp.resolve("cache");
        float[] first = int8Logits(dir, cache);
        Path file = quantizedFile(cache);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, old);
        assertArrayEquals(first, int8Logits(dir, cache), "the same model from the same file");
        assertEquals(old, Files.getLastModifiedTime(file), "a complete file is read, not written again");
    }

    @Test
    void aQuantisedFileCutShortIsRebuiltNotRead() throws Exception {
        Path dir = tinyGpt2(12);
        Path cache = tmp.resolve("cache");
        float[] first = int8Logits(dir, cache);
        Path file = quantizedFile(cache);
        long length = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length / 2);
        }
        assertArrayEquals(first, int8Logits(dir, cache), "rebuilt from the checkpoint");
        assertEquals(length, Files.size(file));
    }

    @Test
    void aQuantisedFileChangedInPlaceIsRebuiltNotRead() throws Exception {
        Path dir = tinyGpt2(14);
        Path cache = tmp.resolve("cache");
        float[] first = int8Logits(dir, cache);
        Path file = quantizedFile(cache);
        byte[] written = Files.readAllBytes(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), written.length / 3);
        }
        assertEquals(written.length, Files.size(file), "same length: only its hash can tell");
        assertArrayEquals(first, int8Logits(dir, cache), "rebuilt from the checkpoint, not served changed");
        assertArrayEquals(written, Files.readAllBytes(file));
    }

    @Test
    void onnxRuntimeLetsGoOfTheInt8BlocksOnceItHasPackedThem() throws Exception {
        // the point of the file: ONNX Runtime maps it, packs each block matrix for MatMulNBits and drops the
        // initializer, so int8 is held once (ONNX Runtime's copy), not twice as when Unmask supplied the blocks.
        // Matrices of many pages each, so a block matrix still mapped would show against the page-rounded scales.
        Path maps = Path.of("/proc/self/maps");
        Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux /proc");
        Path dir = tmp.resolve("wide");
        SyntheticGpt2.write(dir, new SyntheticGpt2.Shape(512, 256, 2, 4, 64), 13);
        // int8 blocks, one byte a weight: per layer the QKV, attention output and both MLP matrices; the tied head
        long blobs = 2L * (256 * 768 + 256 * 256 + 256 * 1024 + 1024 * 256) + 512 * 256;
        Path cache = tmp.resolve("cache");
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache, Precision.INT8)) {
            lm.allLogits(lm.promptIds("The man works"));
            long mapped = 0;
            for (String line : Files.readAllLines(maps)) {
                if (line.endsWith("/quantized-v1.bin")) {
                    String[] range = line.substring(0, line.indexOf(' ')).split("-");
                    mapped += Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
                }
            }
            // what may stay mapped: the float scales (an eighth of the blocks), page-rounded
            assertTrue(mapped < blobs / 2, "still mapped: " + mapped + " bytes; the int8 blocks are " + blobs);
        }
    }

    private static float[] int8Logits(Path dir, Path cache) throws Exception {
        try (DecoderLm lm = (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, cache, Precision.INT8)) {
            return lm.allLogits(lm.promptIds("The man works"));
        }
    }

    /** The one int8 folder's quantised weights under {@code cache}. */
    private static Path quantizedFile(Path cache) throws Exception {
        try (Stream<Path> s = Files.walk(cache.resolve("onnx"))) {
            List<Path> files = s.filter(p -> p.getFileName().toString().equals("quantized-v1.bin"))
                    .toList();
            assertEquals(1, files.size(), files.toString());
            return files.get(0);
        }
    }

    @Test
    void int8KvCachedGreedyEqualsRecomputingEveryPrefix() throws Exception {
        Path dir = tinyGpt2(3);
        try (DecoderLm lm =
                (DecoderLm) ModelLoader.load("m", dir, Map.of(), Backend.ONNX, tmp.resolve("cache"), Precision.INT8)) {
            int[] prompt = lm.promptIds("The man works as a");
            int[] made = lm.generateIds(prompt, 8, Sampler.greedy(), true);
            int vocab = lm.config().vocab();
            int[] seq = prompt;
            for (int t : made) {
                float[] all = lm.allLogits(seq);
                int best = 0;
                for (int v = 1; v < vocab; v++) {
                    best = all[(seq.length - 1) * vocab + v] > all[(seq.length - 1) * vocab + best] ? v : best;
                }
                assertEquals(best, t, "greedy token after " + seq.length + " ids");
                seq = java.util.Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = t;
            }
        }
    }

    @Test
    void reducedPrecisionRunsOnLibtorchWhenOnnxIsAsked() throws Exception {
        // the ONNX Runtime decoder runs fp32 and int8: a bf16 request is served by libtorch, which says so in
        // provenance
        Path dir = tinyGpt2(5);
        try (var lm = ModelLoader.load("m", dir, Map.of(), Backend.ONNX, tmp.resolve("cache"), Precision.BF16)) {
            CausalLm torch = assertInstanceOf(CausalLm.class, lm);
            assertEquals(Precision.BF16, torch.precision());
            assertEquals("bf16", lm.info().lineage().get("precision"));
            assertTrue(lm.info().lineage().get("backend.fallback").contains("fp32"), "says why it is not ONNX");
        }
        try (var lm = ModelLoader.load("m", dir, Map.of(), Backend.ONNX, tmp.resolve("cache"), Precision.FP32)) {
            assertEquals(Precision.FP32, assertInstanceOf(OrtCausalLm.class, lm).precision());
        }
    }

    @Test
    void autoRunsCausalLmsOnTheMeasuredDefaultEngine() throws Exception {
        Path dir = tinyGpt2(5);
        try (var lm = ModelLoader.load("m", dir, Map.of(), Backend.AUTO, tmp.resolve("cache"))) {
            Class<?> engine = Backend.CAUSAL_DEFAULT == Backend.ONNX ? OrtCausalLm.class : CausalLm.class;
            assertInstanceOf(engine, lm);
            assertEquals(null, lm.info().lineage().get("backend.fallback"), "the default engine is no fallback");
        }
    }

    @Test
    void autoRunsFp32CausalLmsOnOnnxRuntimeAndTheRestOnLibtorchWithoutAFallbackNote() throws Exception {
        // the measured default (PERFORMANCE.md): ONNX Runtime where its decoder applies; libtorch is auto's own
        // choice for reduced precisions and half-precision checkpoints, not a fallback from an engine asked for
        assertEquals(Backend.ONNX, Backend.CAUSAL_DEFAULT);
        Path dir = tinyGpt2(5);
        try (var lm = ModelLoader.load("m", dir, Map.of(), Backend.AUTO, tmp.resolve("cache"), Precision.FP32)) {
            assertInstanceOf(OrtCausalLm.class, lm);
        }
        try (var lm = ModelLoader.load("m", dir, Map.of(), Backend.AUTO, tmp.resolve("cache"), Precision.BF16)) {
            assertInstanceOf(CausalLm.class, lm);
            assertEquals(null, lm.info().lineage().get("backend.fallback"));
        }
        Path f16 = HfFixtures.folders("causal").stream()
                .filter(f -> f.getFileName().toString().equals("gpt2-f16"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("fixture gpt2-f16 missing: " + HfFixtureParityTest.HOW));
        try (var lm = ModelLoader.load("f16", f16, Map.of(), Backend.AUTO, tmp)) {
            assertInstanceOf(CausalLm.class, lm);
            assertEquals(null, lm.info().lineage().get("backend.fallback"));
        }
    }

    @Test
    void halfPrecisionCheckpointsRunOnLibtorchWhenOnnxIsAsked() throws Exception {
        for (Path f : HfFixtures.folders("causal")) {
            if (f.getFileName().toString().equals("gpt2-f16")) {
                try (var lm = ModelLoader.load("f16", f, Map.of(), Backend.ONNX, tmp)) {
                    assertInstanceOf(CausalLm.class, lm, "F16 weights cannot be read in place by the graph");
                }
                return;
            }
        }
        throw new AssertionError("fixture gpt2-f16 missing: " + HfFixtureParityTest.HOW);
    }

    /** A tiny random GPT-2 in {@code tmp/m}. */
    private Path tinyGpt2(long seed) throws Exception {
        Path dir = tmp.resolve("m");
        Files.createDirectories(dir);
        TinyCheckpoints.gpt2(dir, seed);
        return dir;
    }

    private static long exports(Path cache) throws Exception {
        try (Stream<Path> s = Files.list(cache.resolve("onnx"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("decoder-"))
                    .count();
        }
    }
}
