package org.unmask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.FillCommandTest.Run;
import org.unmask.models.djl.causal.TinyCheckpoints;

/** {@code unmask generate} on a tiny random GPT-2: seeded samples, chat formatting, one-line errors. */
class GenerateCommandTest {
    @TempDir
    Path tmp;

    static Run run(String... args) {
        return FillCommandTest.run(args);
    }

    Path model(boolean chat) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(chat ? "tiny-chat" : "tiny-base"));
        TinyCheckpoints.gpt2(dir, 7, 256);
        if (chat) {
            TinyCheckpoints.addChatTemplate(dir, TinyCheckpoints.PLAIN_CHAT_TEMPLATE);
        }
        return dir;
    }

    @Test
    void samplesAreSeededAndDrawnOncePerSampleAsJson() throws IOException {
        String m = model(false).toString();
        Run a = run("generate", "The man works as a", "--model", m, "-n", "3", "--max-new-tokens", "6", "--json");
        assertEquals(ExitCode.OK.code(), a.code(), a.err());
        JsonNode r = new ObjectMapper().readTree(a.out());
        assertEquals(3, r.get("samples").size());
        assertEquals(43, r.get("samples").get(1).get("seed").asInt());
        Run b = run("generate", "The man works as a", "--model", m, "-n", "3", "--max-new-tokens", "6", "--json");
        assertEquals(a.out(), b.out(), "same seed, same samples");
        Run c = run(
                "generate",
                "The man works as a",
                "--model",
                m,
                "-n",
                "3",
                "--max-new-tokens",
                "6",
                "--json",
                "--seed",
                "7");
        assertNotEquals(a.out(), c.out());
    }

    @Test
    void plainOutputPrintsThePromptAndItsContinuation() throws IOException {
        Run r = run(
                "generate",
                "The nurse said",
                "--model",
                model(false).toString(),
                "--temperature",
                "0",
                "--max-new-tokens",
                "4");
        assertEquals(ExitCode.OK.code(), r.code(), r.err());
        assertTrue(r.out().startsWith("The nurse said"), r.out());
    }

    @Test
    void chatSendsThePromptThroughTheChatTemplate() throws IOException {
        String m = model(true).toString();
        Run r = run(
                "generate",
                "Who works as a nurse?",
                "--model",
                m,
                "--chat",
                "--system",
                "Be brief.",
                "--temperature",
                "0",
                "--max-new-tokens",
                "5",
                "--json");
        assertEquals(ExitCode.OK.code(), r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("chat").asBoolean());
        assertEquals("Be brief.", j.get("system").asText());
        // greedy with and without --chat differ: the chat prompt is the rendered conversation, not the bare text
        Run plain = run(
                "generate",
                "Who works as a nurse?",
                "--model",
                m,
                "--temperature",
                "0",
                "--max-new-tokens",
                "5",
                "--json");
        assertNotEquals(
                j.get("samples").get(0).get("continuation"),
                new ObjectMapper().readTree(plain.out()).get("samples").get(0).get("continuation"));
    }

    @Test
    void aRunawayChatTemplateIsAnInputErrorNamingItsFileAndLimit() throws IOException {
        Path m = model(false);
        // a million iterations of 10,000 characters: 10 GB of output, which ended in OutOfMemoryError
        TinyCheckpoints.addChatTemplate(
                m,
                "{% for a in range(1000) %}{% for b in range(1000) %}" + "x".repeat(10_000)
                        + "{% endfor %}{% endfor %}");
        Run r = run("generate", "Hi", "--model", m.toString(), "--chat", "--max-new-tokens", "2");
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code(), r.err());
        assertTrue(
                r.err().startsWith("error: " + m.resolve("chat_template.jinja") + ": the chat template's output"),
                r.err());
        assertTrue(r.err().contains("exceeds the limit of"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void chatOnABaseModelSaysItHasNoChatTemplate() throws IOException {
        Run r = run("generate", "Hi", "--model", model(false).toString(), "--chat");
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().startsWith("error: the model in "), r.err());
        assertTrue(r.err().contains("has no chat template"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void badOptionValuesAreOneLineInputErrors() throws IOException {
        String m = model(false).toString();
        Run topP = run("generate", "Hi", "--model", m, "--top-p", "0");
        assertEquals(ExitCode.INVALID_INPUT.code(), topP.code());
        assertEquals(
                "error: --top-p 0.0 is out of range (allowed: (0, 1])",
                topP.err().strip());
        Run system = run("generate", "Hi", "--model", m, "--system", "x");
        assertEquals(ExitCode.INVALID_INPUT.code(), system.code());
        assertTrue(system.err().contains("--system needs --chat"), system.err());
        Run n = run("generate", "Hi", "--model", m, "-n", "0");
        assertEquals(ExitCode.INVALID_INPUT.code(), n.code());
        Run missing = run("generate", "Hi");
        assertEquals(ExitCode.USAGE.code(), missing.code());
        Run notNumber = run("generate", "Hi", "--model", m, "--temperature", "hot");
        assertEquals(ExitCode.USAGE.code(), notNumber.code());
    }

    @Test
    void aMissingModelIsAModelError() {
        Run r = run("generate", "Hi", "--model", tmp.resolve("nothing-here").toString());
        assertEquals(ExitCode.MODEL_ERROR.code(), r.code(), r.err());
    }
}
