package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.ModelKind;
import org.unmask.core.request.ContinuationLogLikelihoodRequest;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.NextTokenRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.tokenizer.HfTokenizer;

/** Next-token, continuation and generation requests through the executor, and the loader's errors. */
class CausalRequestsTest {
    @TempDir
    Path tmp;

    @Test
    void nextTokenTargetsAreScoredAsInSentenceWordsAfterTheByteLevelSpace() throws Exception {
        try (CausalLm lm = CausalLmTest.open("gpt2", tmp)) {
            assertEquals(ModelKind.CAUSAL_LM, lm.info().kind());
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            MaskFillResult r = ex.execute(new NextTokenRequest("The man works as a", 5, List.of("nurse", "carpenter")));
            MaskFillResult.TargetScore nurse = r.slots().get(0).targets().get(0);
            assertEquals(List.of("\u0120nurse"), nurse.pieces());
            assertEquals(List.of("\u0120nurse"), lm.tokenizer().pieces("nurse"));
            int[] prompt = lm.promptIds("The man works as a");
            int nurseId = lm.tokenizer().id("\u0120nurse").getAsInt();
            float direct = lm.score(List.of(
                            new LogProbQuery(prompt, List.of(new Read(prompt.length - 1, 5, new int[] {nurseId})))))
                    .get(0)
                    .get(0)
                    .tokenLogProbs()[0];
            assertEquals(direct, nurse.logProb(), 1e-5);
            assertEquals(5, r.slots().get(0).top().size());
        }
    }

    @Test
    void sentencePieceTargetsKeepTheBosAndTheWordBoundaryMarker() throws Exception {
        try (CausalLm lm = CausalLmTest.open("llama-gqa", tmp)) {
            assertEquals(1, lm.promptIds("The man")[0], "Llama prompts start with <s>");
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            MaskFillResult r = ex.execute(new NextTokenRequest("The man works as a", 3, List.of("nurse")));
            assertEquals(
                    List.of("\u2581nurse"), r.slots().get(0).targets().get(0).pieces());
            assertEquals(List.of("\u2581nurse"), lm.tokenizer().pieces("nurse"));
        }
    }

    @Test
    void aTrailingSpaceInThePromptMovesToTheTargetOnBothTokenizerStyles() throws Exception {
        for (String family : List.of("gpt2", "llama-gqa")) {
            try (CausalLm lm = CausalLmTest.open(family, tmp.resolve(family))) {
                RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
                MaskFillResult.Slot bare = ex.execute(new NextTokenRequest("The man works as a", 5, List.of("nurse")))
                        .slots()
                        .get(0);
                MaskFillResult.Slot spaced = ex.execute(
                                new NextTokenRequest("The man works as a ", 5, List.of("nurse")))
                        .slots()
                        .get(0);
                assertEquals(
                        bare.targets().get(0).pieces(), spaced.targets().get(0).pieces(), family);
                assertEquals(
                        bare.targets().get(0).logProb(), spaced.targets().get(0).logProb(), 1e-9, family);
                assertEquals(bare.top().get(0).tokenId(), spaced.top().get(0).tokenId(), family);
                TokenLogProbs a = ex.execute(new ContinuationLogLikelihoodRequest("The nurse said", " that she"));
                TokenLogProbs b = ex.execute(new ContinuationLogLikelihoodRequest("The nurse said ", "that she"));
                assertEquals(a.tokens(), b.tokens(), family);
                assertEquals(a.sum(), b.sum(), 1e-9, family);
            }
        }
    }

    @Test
    void emptyContextScoresTheWholeTextFromBeginningOfText() throws Exception {
        CausalLmTest.open("gpt2", tmp).close(); // writes the checkpoint into tmp
        Files.writeString(tmp.resolve("special_tokens_map.json"), "{\"bos_token\": \"<|endoftext|>\"}");
        try (CausalLm lm = (CausalLm) ModelLoader.load("gpt2", tmp, Map.of(), Backend.TORCH)) {
            int bos = lm.tokenizer().beginOfTextId().getAsInt();
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            TokenLogProbs t = ex.execute(new ContinuationLogLikelihoodRequest("", "The man said"));
            assertEquals(List.of("The", "\u0120man", "\u0120said"), t.tokens());
            HfTokenizer tok = (HfTokenizer) lm.tokenizer();
            int[] ids = {
                bos,
                tok.id("The").getAsInt(),
                tok.id("\u0120man").getAsInt(),
                tok.id("\u0120said").getAsInt()
            };
            float[] all = lm.allLogits(ids);
            int v = lm.config().vocab();
            for (int j = 0; j < 3; j++) {
                assertEquals(logSoftmax(all, j * v, v, ids[j + 1]), t.logProbs()[j], 1e-4);
            }
            // a continuation after a context is tokenised in context: " nurse", not "nurse"
            TokenLogProbs c = ex.execute(new ContinuationLogLikelihoodRequest("The man works as a", " nurse"));
            assertEquals(List.of("\u0120nurse"), c.tokens());
        }
    }

    @Test
    void promptsLongerThanTheContextWindowAreRejected() throws Exception {
        try (CausalLm lm = CausalLmTest.open("llama", tmp)) {
            String longPrompt = "a ".repeat(80).trim();
            InvalidInputException e = assertThrows(
                    InvalidInputException.class, () -> lm.generate(new GenerationRequest(longPrompt, 4, 0, 0, 1, 0)));
            assertTrue(e.getMessage().contains("context window of 64"), e.getMessage());
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            assertThrows(InvalidInputException.class, () -> ex.execute(new NextTokenRequest(longPrompt, 3, List.of())));
            int[] tooLong = new int[65];
            assertThrows(
                    ModelException.class,
                    () -> lm.score(List.of(new LogProbQuery(tooLong, List.of(new Read(0, 1, new int[0]))))));
            // generation stops when the window is full instead of running past it
            String fills = "a ".repeat(60).trim();
            int promptLength = lm.promptIds(fills).length;
            int[] out = lm.generateIds(lm.promptIds(fills), 50, Sampler.greedy(), true);
            assertTrue(promptLength + out.length <= 64, "ran past the window: " + (promptLength + out.length));
        }
    }

    @Test
    void unsupportedArchitectureNamesTheSupportedOnes() throws Exception {
        TinyCheckpoints.gpt2(tmp, 3);
        ObjectNode c = (ObjectNode) TinyCheckpoints.JSON.readTree(Files.readString(tmp.resolve("config.json")));
        c.putArray("architectures").add("FalconForCausalLM");
        Files.writeString(tmp.resolve("config.json"), c.toString());
        ModelException e =
                assertThrows(ModelException.class, () -> ModelLoader.load("falcon", tmp, Map.of(), Backend.TORCH));
        assertTrue(e.getMessage().contains("FalconForCausalLM"), e.getMessage());
        for (String arch : List.of(
                "GPT2LMHeadModel", "LlamaForCausalLM", "OlmoForCausalLM", "Olmo2ForCausalLM", "BloomForCausalLM")) {
            assertTrue(e.hint().contains(arch), e.hint());
        }
    }

    @Test
    void missingShardIsAClearError() throws Exception {
        TinyCheckpoints.gpt2(tmp, 3);
        Files.delete(tmp.resolve("model.safetensors"));
        Files.writeString(
                tmp.resolve("model.safetensors.index.json"),
                "{\"metadata\":{},\"weight_map\":{\"transformer.wte.weight\":\"model-00001-of-00002.safetensors\"}}");
        ModelException e =
                assertThrows(ModelException.class, () -> ModelLoader.load("x", tmp, Map.of(), Backend.TORCH));
        assertTrue(e.getMessage().contains("model-00001-of-00002.safetensors"), e.getMessage());
    }

    @Test
    void generationAnswersThroughTheExecutorWithTheSameTextAsTheModel() throws Exception {
        try (CausalLm lm = CausalLmTest.open("olmo2", tmp)) {
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            GenerationRequest g = new GenerationRequest("The woman", 6, 0.8, 20, 0.9, 42);
            String text = ex.execute(g);
            assertEquals(lm.generate(g), text);
            int[] greedy = lm.generateIds(lm.promptIds("The woman"), 6, Sampler.greedy(), true);
            assertArrayEquals(greedy, lm.generateIds(lm.promptIds("The woman"), 6, new Sampler(0, 0, 1, 5), true));
        }
    }

    private static double logSoftmax(float[] flat, int off, int v, int id) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            max = Math.max(max, flat[off + i]);
        }
        double z = 0;
        for (int i = 0; i < v; i++) {
            z += Math.exp(flat[off + i] - max);
        }
        return flat[off + id] - max - Math.log(z);
    }
}
