package org.unmask.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;
import org.unmask.models.djl.causal.TinyCheckpoints;

/**
 * The built-in zero-shot suite end to end on a tiny random GPT-2 given a chat template: every report is written
 * and the choice shares add up. A random model says nothing about bias; the plumbing and the arithmetic are checked.
 */
class ZeroShotAuditTest {
    @TempDir
    Path tmp;

    int audit(Path model, StringWriter err) {
        return Main.run(
                new String[] {
                    "audit",
                    "--suite",
                    "gender-occupation-zero-shot",
                    "--model",
                    model.toString(),
                    "--out",
                    tmp.resolve("run").toString(),
                    "--resamples",
                    "200"
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
    }

    @Test
    void auditsAChatModelWithZeroShotQuestions() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("tiny-chat"));
        TinyCheckpoints.gpt2(model, 7, 256);
        TinyCheckpoints.addChatTemplate(model, TinyCheckpoints.PLAIN_CHAT_TEMPLATE);
        StringWriter err = new StringWriter();
        assertEquals(ExitCode.OK.code(), audit(model, err), err.toString());
        JsonNode result =
                new ObjectMapper().readTree(tmp.resolve("run/result.json").toFile());
        JsonNode measure = result.get("measures").get(0);
        assertEquals("zero-shot", measure.get("measure").asText());
        double sum = 0;
        for (JsonNode a : measure.get("aggregates")) {
            if (a.get("id").asText().startsWith("choice-")) {
                sum += a.get("estimate").get("value").asDouble();
            }
        }
        assertEquals(1.0, sum, 1e-9, "every question is answered by exactly one group");
        for (String f : new String[] {"report.html", "items.csv", "items.jsonl", "summary.txt"}) {
            assertTrue(Files.exists(tmp.resolve("run").resolve(f)), f);
        }
        assertTrue(Files.readString(tmp.resolve("run/summary.txt")).contains("choice-neutral"));
    }

    @Test
    void aBaseModelIsToldItNeedsAChatTemplate() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("tiny-base"));
        TinyCheckpoints.gpt2(model, 7, 256);
        StringWriter err = new StringWriter();
        assertEquals(ExitCode.INVALID_INPUT.code(), audit(model, err), err.toString());
        assertTrue(err.toString().contains("has no chat template"), err.toString());
    }
}
