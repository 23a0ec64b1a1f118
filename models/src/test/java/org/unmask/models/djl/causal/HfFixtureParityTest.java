package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.unmask.core.error.UnmaskException;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;

/**
 * Parity with Hugging Face transformers: for every fixture folder under {@code fixtures/} on the test
 * classpath (written by {@code tools/fixtures/make_causal_fixtures.py}: a tiny random checkpoint,
 * its tokenizer and transformers' logits and greedy continuation for fixed prompts), the prompt ids
 * must match, every logit must be within the fixture's tolerance (1e-4) and the greedy tokens must be
 * identical. Without fixtures the test is skipped, saying how to make them.
 */
class HfFixtureParityTest {
    static final String HOW = "no Hugging Face fixtures under models/src/test/resources/fixtures: parity with "
            + "transformers is NOT verified. Generate them on a machine with torch + transformers "
            + "(e.g. the GPU machine): python tools/fixtures/make_causal_fixtures.py "
            + "--out models/src/test/resources/fixtures   (see tools/fixtures/README.md)";

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesTransformers() throws IOException, URISyntaxException {
        List<Path> folders = fixtures();
        if (folders.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("no fixtures", () -> Assumptions.abort(HOW)));
        }
        return folders.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    static List<Path> fixtures() throws IOException, URISyntaxException {
        URL root = HfFixtureParityTest.class.getClassLoader().getResource("fixtures");
        List<Path> out = new ArrayList<>();
        if (root == null || !root.getProtocol().equals("file")) {
            return out;
        }
        try (Stream<Path> s = Files.list(Path.of(root.toURI()))) {
            s.filter(p -> Files.isRegularFile(p.resolve("reference.json"))).sorted().forEach(out::add);
        }
        return out;
    }

    static void check(Path folder) throws IOException, UnmaskException {
        JsonNode ref = TinyCheckpoints.JSON.readTree(folder.resolve("reference.json").toFile());
        double tol = ref.path("tolerance").asDouble(1e-4);
        try (CausalLm lm = (CausalLm) ModelLoader.load(folder.getFileName().toString(), folder, Map.of(),
                Backend.TORCH)) {
            assertEquals(ref.path("architecture").asText(), lm.info().architecture());
            for (JsonNode c : ref.path("cases")) {
                String prompt = c.path("prompt").asText();
                int[] ids = ints(c.path("input_ids"));
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
                int[] greedy = lm.generateIds(ids, c.path("max_new_tokens").asInt(), Sampler.greedy(), true);
                assertArrayEquals(ints(c.path("greedy_new_ids")), greedy, "greedy continuation of \"" + prompt + "\"");
            }
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
