package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.ChatContinuationRequest;
import org.unmask.core.request.ChatGenerationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.ContinuationLogLikelihoodRequest;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;

/** Chat-formatted requests on tiny real checkpoints with a chat template: lowering, BOS, caching, generation. */
class ChatRequestsTest {
    @TempDir
    Path tmp;

    static final List<ChatMessage> QUESTION = List.of(ChatMessage.user("Is the nurse a man or a woman?"));

    CausalLm gpt2Chat() throws Exception {
        TinyCheckpoints.gpt2(tmp, 11);
        TinyCheckpoints.addChatTemplate(tmp, TinyCheckpoints.PLAIN_CHAT_TEMPLATE);
        return (CausalLm) ModelLoader.load("gpt2-chat", tmp, Map.of(), Backend.TORCH);
    }

    CausalLm llamaChat() throws Exception {
        TinyCheckpoints.llama(tmp, "LlamaForCausalLM", 4, 2, false, 13);
        TinyCheckpoints.addChatTemplateConfig(tmp, TinyCheckpoints.INST_CHAT_TEMPLATE, "<s>", "</s>");
        return (CausalLm) ModelLoader.load("llama-chat", tmp, Map.of(), Backend.TORCH);
    }

    @Test
    void aChatAnswerIsScoredAsTheTextAfterTheRenderedGenerationPrompt() throws Exception {
        try (CausalLm lm = gpt2Chat()) {
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            String rendered = lm.tokenizer().applyChatTemplate(QUESTION, true);
            assertEquals("user: Is the nurse a man or a woman?\nassistant:\n", rendered);
            TokenLogProbs chat = ex.execute(new ChatContinuationRequest(QUESTION, "woman"));
            // GPT-2 adds no special tokens, so the plain continuation of the rendered text is the same query
            TokenLogProbs plain = ex.execute(new ContinuationLogLikelihoodRequest(rendered, "woman"));
            assertEquals(plain.tokens(), chat.tokens());
            assertArrayEquals(plain.logProbs(), chat.logProbs(), 1e-9);
            assertTrue(chat.sum() < 0);
        }
    }

    @Test
    void equalChatRequestsAreAnsweredOnceAndCached() throws Exception {
        try (CausalLm lm = gpt2Chat()) {
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            List<ChatContinuationRequest> reqs = List.of(
                    new ChatContinuationRequest(QUESTION, "woman"),
                    new ChatContinuationRequest(QUESTION, "man"),
                    new ChatContinuationRequest(QUESTION, "woman"));
            List<TokenLogProbs> a = ex.executeAll(reqs, org.unmask.core.engine.ProgressListener.NONE);
            assertEquals(a.get(0), a.get(2));
            assertEquals(2, ex.stats().uniqueRequests());
            ex.execute(new ChatContinuationRequest(QUESTION, "man"));
            assertEquals(1, ex.stats().cacheHits());
        }
    }

    @Test
    void aTemplateThatWritesBosGetsExactlyOneBos() throws Exception {
        try (CausalLm lm = llamaChat()) {
            String rendered = lm.tokenizer().applyChatTemplate(QUESTION, true);
            assertEquals("<s>[INST] Is the nurse a man or a woman? [/INST]", rendered);
            int[] ids = lm.tokenizer().encodeWithoutSpecials(rendered).ids();
            assertEquals(1, ids[0]);
            assertTrue(ids[1] != 1, "no second <s>");
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            TokenLogProbs chat = ex.execute(new ChatContinuationRequest(QUESTION, " woman"));
            // the answer is read right after the rendered prompt's last token: position = prompt length
            assertEquals(ids.length, chat.positions().get(0));
            // the template writes replies as " " + content after [/INST], so the bare answer is scored the same way
            TokenLogProbs bare = ex.execute(new ChatContinuationRequest(QUESTION, "woman"));
            assertEquals(chat.tokens(), bare.tokens());
            assertEquals(
                    lm.tokenizer().encodeWithoutSpecials(rendered + " woman").tokens()[ids.length],
                    bare.tokens().get(0));
        }
    }

    @Test
    void chatGenerationSamplesFromTheRenderedIds() throws Exception {
        try (CausalLm lm = llamaChat()) {
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            String reply = ex.execute(ChatGenerationRequest.of(QUESTION, 8, 0, 0, 1, 42));
            int[] ids = lm.tokenizer()
                    .encodeWithoutSpecials(lm.tokenizer().applyChatTemplate(QUESTION, true))
                    .ids();
            String greedy = lm.tokenizer().decode(lm.generateIds(ids, 8, Sampler.greedy(), true));
            assertEquals(greedy, reply);
            List<String> sampled = ex.executeAll(
                    List.of(
                            ChatGenerationRequest.of(QUESTION, 6, 1, 0, 1, 1),
                            ChatGenerationRequest.of(QUESTION, 6, 1, 0, 1, 1)),
                    org.unmask.core.engine.ProgressListener.NONE);
            assertEquals(sampled.get(0), sampled.get(1), "same seed, same sample");
        }
    }

    @Test
    void aBaseModelCannotTakeChatRequests() throws Exception {
        try (CausalLm lm = CausalLmTest.open("gpt2", tmp)) {
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            InvalidInputException e = assertThrows(
                    InvalidInputException.class, () -> ex.execute(new ChatContinuationRequest(QUESTION, "woman")));
            assertTrue(e.getMessage().contains("has no chat template"), e.getMessage());
            assertThrows(
                    InvalidInputException.class, () -> ex.execute(ChatGenerationRequest.of(QUESTION, 4, 0, 0, 1, 1)));
        }
    }

    @Test
    void theTemplatesRejectionReachesTheCaller() throws Exception {
        try (CausalLm lm = llamaChat()) {
            RequestExecutor ex = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            List<ChatMessage> withSystem = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"));
            UnmaskException e = assertThrows(
                    InvalidInputException.class, () -> ex.execute(new ChatContinuationRequest(withSystem, "x")));
            assertTrue(e.getMessage().endsWith("only user and assistant roles"), e.getMessage());
        }
    }

    @Test
    void generateFromIdsRejectsAPromptLongerThanTheWindow() throws Exception {
        try (CausalLm lm = gpt2Chat()) {
            assertThrows(
                    InvalidInputException.class,
                    () -> lm.generateFromIds(new int[65], List.of(new GenerationRequest("", 2, 0, 0, 1, 1))));
        }
    }
}
