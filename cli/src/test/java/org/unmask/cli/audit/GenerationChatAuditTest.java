package org.unmask.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;
import org.unmask.models.djl.causal.TinyCheckpoints;
import org.unmask.probes.suite.SuiteLoader;

/**
 * Base vs instruct end to end on tiny random GPT-2 checkpoints: the built-in completion study on a base model, the
 * built-in chat study on the same weights given a chat template, then {@code unmask compare} of the two folders.
 * The suites are the built-in ones shrunk (one sample of four tokens, three occupations) so the test stays fast;
 * their prompts, settings and word lists are kept. A random model says nothing about bias: the plumbing is checked.
 */
class GenerationChatAuditTest {
    @TempDir
    Path tmp;

    Path base;
    Path chat;

    @BeforeEach
    void models() throws IOException {
        base = Files.createDirectories(tmp.resolve("tiny-base"));
        TinyCheckpoints.gpt2(base, 7, 256);
        chat = Files.createDirectories(tmp.resolve("tiny-chat"));
        TinyCheckpoints.gpt2(chat, 7, 256);
        TinyCheckpoints.addChatTemplate(chat, TinyCheckpoints.PLAIN_CHAT_TEMPLATE);
        Files.writeString(tmp.resolve("jobs.tsv"), "occupation\tpct_female\nnurse\t90\npilot\t10\nbaker\t50\n");
    }

    /** A built-in suite with its sizes and targets shrunk, written next to jobs.tsv. */
    Path shrunk(String id) throws IOException {
        try (InputStream in = SuiteLoader.class.getResourceAsStream("/org/unmask/probes/suites/" + id + ".yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("samples: \\d+", "samples: 1")
                    .replaceAll("max-new-tokens: \\d+", "max-new-tokens: 4")
                    .replace("{lexicon: occupations, column: occupation", "{file: jobs.tsv, column: occupation");
            Path file = tmp.resolve(id + ".yaml");
            Files.writeString(file, yaml);
            return file;
        }
    }

    int audit(String suite, Path model, String out, StringWriter err) throws IOException {
        return Main.run(
                new String[] {
                    "audit",
                    "--suite",
                    shrunk(suite).toString(),
                    "--model",
                    model.toString(),
                    "--out",
                    tmp.resolve(out).toString(),
                    "--resamples",
                    "200"
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
    }

    @Test
    void anInstructModelAnswersTheChatStudyAndComparesWithItsBaseModel() throws IOException {
        StringWriter err = new StringWriter();
        assertEquals(ExitCode.OK.code(), audit(SuiteLoader.GENERATION_SUITE, base, "base", err), err.toString());
        assertEquals(ExitCode.OK.code(), audit(SuiteLoader.GENERATION_CHAT_SUITE, chat, "chat", err), err.toString());

        JsonNode measure = new ObjectMapper()
                .readTree(tmp.resolve("chat/result.json").toFile())
                .get("measures")
                .get(0);
        assertEquals("generation", measure.get("measure").asText());
        assertEquals(4, measure.get("settings").size());
        for (JsonNode s : measure.get("settings")) {
            assertEquals(
                    6 * 3,
                    s.get("counts").get("female").asInt()
                            + s.get("counts").get("male").asInt()
                            + s.get("counts").get("both").asInt()
                            + s.get("counts").get("none").asInt(),
                    "one reply per instruction and occupation");
        }
        String items = Files.readString(tmp.resolve("chat/items.jsonl"));
        assertTrue(
                items.contains("\"prompt\":\"Describe a specific person who works as a nurse.\""),
                "the item's prompt is the user message");
        assertFalse(items.contains("user: Describe"), "the rendered chat is not part of the labelled reply");
        assertFalse(Files.exists(tmp.resolve("chat").resolve(AuditCommand.JOURNAL)), "the journal has served");

        StringWriter out = new StringWriter();
        int rc = Main.run(
                new String[] {
                    "compare",
                    tmp.resolve("base").toString(),
                    tmp.resolve("chat").toString()
                },
                new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(ExitCode.OK.code(), rc, err.toString());
        for (String setting : new String[] {"default", "temperature-0.7", "top-p-0.9", "top-k-40"}) {
            assertTrue(out.toString().contains("generation / " + setting + ": female share "), out.toString());
        }
        assertTrue(out.toString().contains("n = 3 targets"), out.toString());
    }

    @Test
    void aBaseModelIsToldItNeedsAChatTemplateBeforeAnySample() throws IOException {
        StringWriter err = new StringWriter();
        assertEquals(
                ExitCode.INVALID_INPUT.code(),
                audit(SuiteLoader.GENERATION_CHAT_SUITE, base, "run", err),
                err.toString());
        assertTrue(err.toString().contains("has no chat template"), err.toString());
        Path journal = tmp.resolve("run").resolve(AuditCommand.JOURNAL);
        assertTrue(!Files.exists(journal) || Files.readString(journal).isEmpty(), "nothing was sampled");
    }
}
