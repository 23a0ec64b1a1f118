package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.unmask.core.error.UnmaskException;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.fixtures.HfFixtures;

/**
 * Parity with Hugging Face transformers: for every fixture folder under {@code fixtures/} on the test
 * classpath (written by {@code tools/fixtures/make_causal_fixtures.py}: a tiny random checkpoint,
 * its tokenizer and transformers' logits and greedy continuation for fixed prompts), the prompt ids
 * must match, every logit must be within the fixture's tolerance (1e-4) and the greedy tokens must be
 * identical, with the KV cache and with full recomputation. The fixtures are committed; a missing set fails, saying how to make them.
 */
class HfFixtureParityTest {
    static final String HOW = "no causal Hugging Face fixtures under models/src/test/resources/fixtures: "
            + "regenerate them with python tools/fixtures/make_causal_fixtures.py "
            + "--out models/src/test/resources/fixtures   (see tools/fixtures/README.md)";

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesTransformers() throws IOException, URISyntaxException {
        List<Path> folders = fixtures();
        if (folders.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("no fixtures", () -> fail(HOW)));
        }
        return folders.stream()
                .flatMap(f -> Stream.of(Backend.TORCH, Backend.ONNX)
                        .map(b -> DynamicTest.dynamicTest(
                                f.getFileName() + " on " + b.name().toLowerCase(java.util.Locale.ROOT),
                                () -> check(f, b))));
    }

    static boolean float32(Path folder) throws UnmaskException {
        try (var ckpt = org.unmask.models.safetensors.ShardedCheckpoint.open(folder)) {
            return ckpt.tensors().values().stream().allMatch(t -> t.dtype() == org.unmask.models.safetensors.DType.F32);
        }
    }

    static List<Path> fixtures() throws IOException, URISyntaxException {
        return HfFixtures.folders("causal");
    }

    /**
     * Checks one fixture on one backend. On ONNX a float32 checkpoint must run on ONNX Runtime (the graph claims every
     * family); F16/BF16 checkpoints fall back to libtorch, which is what the ONNX choice then checks.
     */
    static void check(Path folder, Backend backend) throws IOException, UnmaskException {
        JsonNode ref = HfFixtures.reference(folder);
        double tol = ref.path("tolerance").asDouble(1e-4);
        Path cache = java.nio.file.Files.createTempDirectory("unmask-parity-cache");
        try (DecoderLm lm =
                (DecoderLm) ModelLoader.load(folder.getFileName().toString(), folder, Map.of(), backend, cache)) {
            assertEquals(ref.path("architecture").asText(), lm.info().architecture());
            if (backend == Backend.ONNX && float32(folder)) {
                assertTrue(
                        lm.info().backend().startsWith("onnxruntime"),
                        "ran on " + lm.info().backend());
            }
            double worstOverall = 0;
            for (JsonNode c : ref.path("cases")) {
                String prompt = c.path("prompt").asText();
                int[] ids = HfFixtures.ints(c.path("input_ids"));
                assertArrayEquals(ids, lm.promptIds(prompt), "token ids of \"" + prompt + "\"");
                float[] got = lm.allLogits(ids);
                JsonNode want = c.path("logits");
                int vocab = lm.config().vocab();
                double worst = 0;
                for (int t = 0; t < ids.length; t++) {
                    JsonNode row = want.get(t);
                    assertEquals(vocab, row.size(), "vocabulary size");
                    for (int v = 0; v < vocab; v++) {
                        worst = Math.max(worst, Math.abs(row.get(v).asDouble() - got[t * vocab + v]));
                    }
                }
                assertTrue(worst <= tol, folder.getFileName() + " \"" + prompt + "\": max |Δlogit| " + worst);
                worstOverall = Math.max(worstOverall, worst);
                int[] greedy = lm.generateIds(ids, c.path("max_new_tokens").asInt(), Sampler.greedy(), true);
                assertArrayEquals(
                        HfFixtures.ints(c.path("greedy_new_ids")), greedy, "greedy continuation of \"" + prompt + "\"");
                assertArrayEquals(
                        greedy,
                        lm.generateIds(ids, c.path("max_new_tokens").asInt(), Sampler.greedy(), false),
                        "KV-cached vs recomputed greedy continuation of \"" + prompt + "\"");
            }
            System.out.printf(
                    "HF parity %s on %s (%s, transformers %s): max |Δlogit| %.2e over %d prompts%n",
                    folder.getFileName(),
                    lm.info().backend(),
                    lm.info().architecture(),
                    ref.path("transformers").asText(),
                    worstOverall,
                    ref.path("cases").size());
        } finally {
            deleteTree(cache);
        }
    }

    /** Removes a test's export cache (the graph files only: the weights stay in the fixture folders). */
    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = java.nio.file.Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }
}
