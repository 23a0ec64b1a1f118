package org.unmask.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.request.ChatGenerationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.testing.ScriptedGenerator;

/** An interrupted sampling study resumes from its journal, reproducing the uninterrupted answers. */
class GenerationJournalTest {
    private static final String SHA = "0".repeat(64); // ScriptedGenerator's weights hash

    @TempDir
    Path tmp;

    private static List<GenerationRequest> study(int prompts, int samples) {
        List<GenerationRequest> out = new ArrayList<>();
        for (int p = 0; p < prompts; p++) {
            for (int s = 0; s < samples; s++) {
                out.add(new GenerationRequest("The nurse " + p, 8, 1.0, 40, 0.9, 1000L * p + s));
            }
        }
        return out;
    }

    private static String answer(GenerationRequest r) {
        return r.prompt() + " -> " + r.seed();
    }

    @Test
    void aResumedRunAsksTheModelOnlyForWhatTheJournalLacks() throws UnmaskException {
        List<GenerationRequest> all = study(300, 2); // 600 requests: three chunks of whole prompts
        Path file = tmp.resolve("generations.journal.jsonl");
        GenerationJournal first = GenerationJournal.open(file, SHA);
        first.record(
                all.subList(0, 257),
                all.subList(0, 257).stream().map(GenerationJournalTest::answer).toList());

        GenerationJournal reopened = GenerationJournal.open(file, SHA);
        assertEquals(257, reopened.size());
        ScriptedGenerator model = new ScriptedGenerator(GenerationJournalTest::answer);
        RequestExecutor executor = new RequestExecutor(model, ExecutorOptions.DEFAULT);
        executor.useJournal(reopened);
        List<long[]> reports = new ArrayList<>();
        List<String> texts = executor.executeAll(all, (done, total, unit) -> reports.add(new long[] {done, total}));

        assertEquals(all.stream().map(GenerationJournalTest::answer).toList(), texts);
        assertEquals(all.subList(257, 600), model.seen(), "the model answers only the missing requests, in order");
        assertEquals(343, executor.stats().sampled(), "only what the model generated counts as sampled");
        assertEquals(600, GenerationJournal.open(file, SHA).size(), "every answer is journalled");
        assertEquals(257, reports.get(0)[0]);
        assertEquals(600, reports.get(reports.size() - 1)[0]);
        assertTrue(reports.size() >= 3, "progress after each chunk: " + reports.size());
    }

    @Test
    void anotherModelsLinesAndACutShortLastLineAreNotUsed() throws IOException, UnmaskException {
        List<GenerationRequest> all = study(2, 2);
        Path file = tmp.resolve("j.jsonl");
        GenerationJournal.open(file, "f".repeat(64)).record(all.subList(0, 2), List.of("other a", "other b"));
        GenerationJournal.open(file, SHA).record(all.subList(2, 3), List.of("mine"));
        Files.writeString(
                file,
                "{\"model\":\"" + SHA + "\",\"prompt\":\"The nu",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        GenerationJournal j = GenerationJournal.open(file, SHA);
        assertEquals(1, j.size());
        assertEquals(1, j.skippedLines());
        assertEquals(Optional.of("mine"), j.find(all.get(2)));
        assertEquals(Optional.empty(), j.find(all.get(0)), "a line of another model is not an answer");
    }

    /** 300 conversations (a system turn, then a question) with {@code samples} replies each. */
    private static List<ChatGenerationRequest> chatStudy(int samples) {
        List<ChatGenerationRequest> out = new ArrayList<>();
        for (int p = 0; p < 300; p++) {
            List<ChatMessage> messages =
                    List.of(ChatMessage.system("Be brief."), ChatMessage.user("Describe a nurse " + p + "."));
            for (int s = 0; s < samples; s++) {
                out.add(ChatGenerationRequest.of(messages, 8, 0.7, 0, 1, 1000L * p + s));
            }
        }
        return out;
    }

    /** What the scripted chat model answers to the rendered conversation of a sample. */
    private static String chatAnswer(GenerationRequest rendered) {
        return "reply to " + rendered.prompt() + " #" + rendered.seed();
    }

    private static String chatAnswer(ChatGenerationRequest r) {
        return chatAnswer(new GenerationRequest(
                ScriptedGenerator.render(r.messages()),
                8,
                0.7,
                0,
                1,
                r.settings().seed()));
    }

    @Test
    void aResumedChatRunAsksTheModelOnlyForTheMissingReplies() throws UnmaskException {
        List<ChatGenerationRequest> all = chatStudy(2);
        Path file = tmp.resolve("generations.journal.jsonl");
        GenerationJournal.open(file, SHA)
                .record(
                        all.subList(0, 301),
                        all.subList(0, 301).stream()
                                .map(GenerationJournalTest::chatAnswer)
                                .toList());

        GenerationJournal reopened = GenerationJournal.open(file, SHA);
        assertEquals(301, reopened.size());
        assertEquals(
                Optional.of(chatAnswer(all.get(300))),
                reopened.find(all.get(300)),
                "a chat line keeps its conversation: system and user turns, in order");
        assertEquals(
                Optional.empty(),
                reopened.find(all.get(300).settings()),
                "a chat reply is not the plain continuation of its (empty) prompt");
        ScriptedGenerator model = ScriptedGenerator.withChatTemplate(GenerationJournalTest::chatAnswer);
        RequestExecutor executor = new RequestExecutor(model, ExecutorOptions.DEFAULT);
        executor.useJournal(reopened);
        List<long[]> reports = new ArrayList<>();
        List<String> texts = executor.executeAll(all, (done, total, unit) -> {
            assertEquals("continuations", unit);
            reports.add(new long[] {done, total});
        });

        assertEquals(all.stream().map(GenerationJournalTest::chatAnswer).toList(), texts);
        assertEquals(
                all.subList(301, 600).stream().map(r -> r.settings().seed()).toList(),
                model.seen().stream().map(GenerationRequest::seed).toList(),
                "the model samples only the 299 missing replies, in order");
        assertEquals(600, GenerationJournal.open(file, SHA).size(), "every reply is journalled");
        assertEquals(
                List.of(301L, 558L, 600L),
                reports.stream().map(r -> r[0]).toList(),
                "progress from the journal, then after each chunk of whole conversations");
    }

    @Test
    void aJournalLineWithoutMessagesStaysAPlainContinuation() throws IOException, InvalidInputException {
        Path file = tmp.resolve("old.jsonl");
        Files.writeString(
                file,
                "{\"model\":\"" + SHA + "\",\"prompt\":\"The nurse\",\"maxNewTokens\":8,"
                        + "\"temperature\":1.0,\"topK\":40,\"topP\":0.9,\"seed\":7,\"text\":\" is kind\"}\n"
                        + "{\"model\":\"" + SHA
                        + "\",\"prompt\":\"\",\"maxNewTokens\":8,\"temperature\":1.0,\"topK\":0,"
                        + "\"topP\":1.0,\"seed\":7,\"messages\":[{\"role\":\"user\"}],\"text\":\"x\"}\n",
                StandardCharsets.UTF_8);

        GenerationJournal j = GenerationJournal.open(file, SHA);
        assertEquals(Optional.of(" is kind"), j.find(new GenerationRequest("The nurse", 8, 1.0, 40, 0.9, 7)));
        assertEquals(1, j.size());
        assertEquals(1, j.skippedLines(), "a chat turn without content is a damaged line, redone");
    }

    @Test
    void aModelWithoutAChatTemplateFailsBeforeAnySample() {
        List<org.unmask.core.request.ModelRequest<String>> mixed = new ArrayList<>(study(3, 2));
        mixed.addAll(chatStudy(1).subList(0, 2));
        ScriptedGenerator base = new ScriptedGenerator(GenerationJournalTest::answer);
        RequestExecutor executor = new RequestExecutor(base, ExecutorOptions.DEFAULT);

        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> executor.executeAll(mixed, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("no chat template"), e.getMessage());
        assertEquals(List.of(), base.seen(), "not even the plain prompts were sampled");
    }

    @Test
    void theModelKeySeparatesPrecisionsAndQuantisationSchemesAndKeepsOldKeys() {
        assertEquals("abc", GenerationJournal.modelKey(info(Map.of())), "fp32: the bare sha256, as before");
        assertEquals(
                "abc+int8",
                GenerationJournal.modelKey(info(Map.of("precision", "int8"))),
                "libtorch int8: the key journals of it already carry");
        assertEquals(
                "abc+int8+onnxruntime-matmulnbits-b32-a8",
                GenerationJournal.modelKey(
                        info(Map.of("precision", "int8", "precision.scheme", "onnxruntime-matmulnbits-b32-a8"))));
    }

    private static ModelInfo info(Map<String, String> lineage) {
        return new ModelInfo(
                "m", "GPT2LMHeadModel", ModelKind.CAUSAL_LM, Path.of("m"), "abc", "tok", "engine", 64, lineage);
    }
}
