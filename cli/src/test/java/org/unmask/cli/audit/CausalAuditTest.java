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
 * A causal LM goes through the same audit and report family as a masked LM. The model is a tiny
 * random GPT-2 (no pretrained causal LM can be fetched here), so only the plumbing is checked, not
 * the numbers.
 */
class CausalAuditTest {
    @TempDir
    Path tmp;

    @Test
    void auditsACausalModelWithTheCausalSuiteByDefault() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("tiny-gpt2"));
        TinyCheckpoints.gpt2(model, 7);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(
                new String[] {
                    "audit",
                    "--model",
                    model.toString(),
                    "--out",
                    tmp.resolve("run").toString(),
                    "--resamples",
                    "200"
                },
                new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(ExitCode.OK.code(), rc, err.toString());
        assertTrue(err.toString().contains("gender-occupation-causal"), err.toString());
        JsonNode result =
                new ObjectMapper().readTree(tmp.resolve("run/result.json").toFile());
        assertTrue(result.toString().contains("pronoun-lean"), "the pronoun measure ran");
        assertTrue(result.toString().contains("cooccurrence-log-ratio"), "Brown et al.'s score ran");
        for (String f : new String[] {"report.html", "items.csv", "items.jsonl", "summary.txt"}) {
            assertTrue(Files.exists(tmp.resolve("run").resolve(f)), f);
        }
    }

    @Test
    void rejectsATwoMaskTemplateOnACausalModelWithAClearError() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("tiny-gpt2"));
        TinyCheckpoints.gpt2(model, 7);
        StringWriter err = new StringWriter();
        int rc = Main.run(
                new String[] {"fill", "[MASK] works as a [MASK].", "--model", model.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(ExitCode.INVALID_INPUT.code(), rc, err.toString());
        assertTrue(err.toString().contains("can fill only one [MASK]"), err.toString());
    }

    @Test
    void scoresCrowsPairsOnACausalModelWithTheSentenceLikelihoodVariant() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("tiny-gpt2"));
        TinyCheckpoints.gpt2(model, 7, 512); // byte-level pieces of whole CrowS sentences need a longer window
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(
                new String[] {"benchmark", "crows-pairs", "--model", model.toString(), "--limit", "6", "--json"},
                new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(ExitCode.OK.code(), rc, err.toString());
        assertTrue(out.toString().contains("crows-pairs/causal-sentence-loglik"), out.toString());
        assertTrue(!out.toString().contains("crows-pairs/pll-unmodified"), "masked variants are not run");
        StringWriter err2 = new StringWriter();
        int bad = Main.run(
                new String[] {
                    "benchmark",
                    "crows-pairs",
                    "--model",
                    model.toString(),
                    "--limit",
                    "2",
                    "--variant",
                    "pll-unmodified"
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err2));
        assertEquals(ExitCode.INVALID_INPUT.code(), bad, err2.toString());
        assertTrue(err2.toString().contains("needs a masked language model"), err2.toString());
    }
}
