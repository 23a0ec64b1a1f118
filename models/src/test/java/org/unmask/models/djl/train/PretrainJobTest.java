package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.tokenizer.HfTokenizer;

class PretrainJobTest {
    private static final PretrainArch TINY = new PretrainArch("test-tiny", false, 1, 16, 2, 32, 32);

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path tokenizer;
    static PackedCorpus data;

    @BeforeAll
    static void corpus() throws Exception {
        tokenizer = TinyModelFolder.write(shared.resolve("tok"));
        SplittableRandom r = new SplittableRandom(3);
        List<String> words = TinyModelFolder.WORDS;
        try (HfTokenizer tok = HfTokenizer.load(tokenizer)) {
            PackedCorpus.Builder b = new PackedCorpus.Builder(tok, 16, 0.2);
            for (int d = 0; d < 60; d++) {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < 5 + r.nextInt(30); i++) {
                    s.append(words.get(r.nextInt(words.size()))).append(' ');
                }
                b.add(s.toString());
            }
            data = b.build(5);
        }
    }

    private static PretrainJob.Settings settings(Path out, long seed, long steps) throws InvalidInputException {
        TrainConfig t = TrainConfig.of(1, 4, 1, 5e-3, 0.1, 0.01, 1.0, 0.15, 0.1, 16, seed, 3);
        return new PretrainJob.Settings(TINY, t, steps, 0.2, 8, out, false, tokenizer);
    }

    private static PretrainJob.Outcome run(PretrainJob.Settings s, Trainer.Listener l) throws Exception {
        return PretrainJob.run(s, data, "corpus-sha", Map.of("path", "test"), l);
    }

    @Test
    void writesAHuggingFaceFolderFromScratchThatLoadsAndFillsMasks() throws Exception {
        Path out = dir.resolve("m");
        PretrainJob.Outcome o = run(settings(out, 1, 12), p -> {});
        assertTrue(o.result().finished());
        assertEquals(12, o.result().steps());
        assertTrue(Double.isFinite(o.heldOutLoss()), "held-out loss scored");
        for (String f : List.of("model.safetensors", "config.json", "tokenizer.json", FineTuneJob.PROVENANCE)) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("checkpoints")));
        assertFalse(Files.exists(out.resolve(".init")), "the init folder is removed");
        JsonNode prov =
                new ObjectMapper().readTree(out.resolve(FineTuneJob.PROVENANCE).toFile());
        assertEquals("scratch", prov.path("parent").path("id").asText());
        assertEquals("corpus-sha", prov.path("corpus").path("contentSha256").asText());
        assertEquals(12 * 4 * 16, prov.path("settings").path("tokens").asLong());
        assertEquals(1, prov.path("settings").path("arch").path("layers").asInt());
        try (LanguageModel m = ModelLoader.load(out.toString(), Backend.TORCH)) {
            var r = new RequestExecutor(m, new ExecutorOptions(4, 0))
                    .execute(MaskFillRequest.targets("the [MASK] is a doctor .", List.of("man", "woman")));
            double total = r.slot().target("man").probability()
                    + r.slot().target("woman").probability();
            assertTrue(total > 0 && total < 1, "the pretrained folder loads and fills masks");
        }
    }

    @Test
    void theSameSeedGivesBitIdenticalWeightsAndAnotherSeedDoesNot() throws Exception {
        run(settings(dir.resolve("a"), 1, 6), p -> {});
        run(settings(dir.resolve("b"), 1, 6), p -> {});
        run(settings(dir.resolve("c"), 2, 6), p -> {});
        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/model.safetensors")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/model.safetensors"))));
    }

    @Test
    void aRunStoppedPartWayResumesToTheWeightsOfAnUninterruptedRun() throws Exception {
        run(settings(dir.resolve("whole"), 9, 9), p -> {});
        Path part = dir.resolve("part");
        long[] seen = {0};
        PretrainJob.Outcome stopped = run(settings(part, 9, 9), new Trainer.Listener() {
            @Override
            public void onStep(Trainer.Progress p) {
                seen[0] = p.step();
            }

            @Override
            public boolean stopRequested() {
                return seen[0] == 4; // not on a checkpoint boundary (every 3)
            }
        });
        assertFalse(stopped.result().finished());
        assertEquals(4, stopped.result().steps());
        PretrainJob.Outcome resumed = run(settings(part, 9, 9), p -> {});
        assertEquals(4, resumed.result().resumedFrom());
        assertTrue(resumed.result().finished());
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("whole/model.safetensors")),
                Files.readAllBytes(part.resolve("model.safetensors")));
        assertEquals(
                run(settings(dir.resolve("whole"), 9, 9), p -> {}).alreadyComplete(),
                true,
                "a finished folder is recognised, not retrained");
    }

    @Test
    void aFolderOfAnotherRunIsRefused() throws Exception {
        Path out = dir.resolve("m");
        run(settings(out, 1, 3), p -> {});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(settings(out, 2, 3), p -> {}));
        assertTrue(e.getMessage().contains("another"), e.getMessage());
    }

    @Test
    void aCausalGpt2PretrainsFromScratchAndLoadsAsACausalLm() throws Exception {
        TrainConfig t = TrainConfig.of(1, 4, 1, 5e-3, 0.1, 0.01, 1.0, 0.15, 0.1, 16, 1, 3);
        PretrainArch gpt = new PretrainArch("test-gpt", true, 1, 16, 2, 32, 32);
        Path out = dir.resolve("g");
        var s = new PretrainJob.Settings(gpt, t, 6, 0.2, 8, out, false, tokenizer);
        PretrainJob.Outcome o = run(s, p -> {});
        assertTrue(o.result().finished());
        assertTrue(Double.isFinite(o.heldOutLoss()), "next-token held-out loss scored");
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("GPT2LMHeadModel", cfg.path("architectures").get(0).asText());
        assertEquals(
                o.heldOutLoss(),
                PretrainJob.heldOutLoss(out, data.heldOut(), 8),
                1e-4,
                "the folder scores its held-out text as the run did");
        try (LanguageModel m = ModelLoader.load(out.toString(), Backend.TORCH)) {
            assertNotEquals(null, m);
        }
        var e = assertThrows(InvalidInputException.class, () -> PretrainArch.of("gpt2-huge"));
        assertTrue(e.getMessage().contains("gpt2-huge"), e.getMessage());
    }
}
