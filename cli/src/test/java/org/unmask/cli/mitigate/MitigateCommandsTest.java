package org.unmask.cli.mitigate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;
import org.unmask.core.testing.RealModel;
import org.unmask.core.testing.Results;

/** augment, finetune and compare at the front door: exit codes and one-line errors (no model needed). */
class MitigateCommandsTest {
    record Run(int code, String out, String err) {}

    @TempDir
    Path dir;

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void augmentWritesBothVersionsAndReportsCounts() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "He is a nurse.\nIt rained.\n");
        Path out = dir.resolve("out.txt");
        Run r = run("augment", in.toString(), "--out", out.toString(), "--keep-originals", "--drop-unswapped");
        assertEquals(0, r.code(), r.err());
        assertEquals("He is a nurse.\nShe is a nurse.\n", Files.readString(out));
        assertTrue(r.out().contains("documents in 2, out 2; swapped 1"), r.out());
    }

    @Test
    void augmentReportsPartialWhenLinesWereSkipped() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"text\":\"he\"}\nnot json\n");
        Run r = run("augment", in.toString(), "--out", dir.resolve("o.jsonl").toString());
        assertEquals(ExitCode.PARTIAL.code(), r.code());
        assertTrue(r.out().contains("skipped in.jsonl:2: not a JSON object"), r.out());
    }

    @Test
    void augmentOfAMissingInputIsAOneLineError() {
        Run r = run(
                "augment",
                dir.resolve("nope.txt").toString(),
                "--out",
                dir.resolve("o.txt").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().startsWith("error: input ") && !r.err().contains("Exception"), r.err());
    }

    @Test
    void finetuneRejectsOutOfRangeHyperParametersBeforeLoadingAnything() throws Exception {
        Path data = dir.resolve("d.txt");
        Files.writeString(data, "the man is a doctor .\n");
        Run r = run(
                "finetune", "--data", data.toString(), "--out", dir.resolve("m").toString(), "--lr", "3");
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().startsWith("error: --lr 3.0 is out of range"), r.err());
        assertFalse(Files.exists(dir.resolve("m")));
        Run r2 = run(
                "finetune", "--data", data.toString(), "--out", dir.resolve("m").toString(), "--long-text", "x");
        assertEquals(ExitCode.INVALID_INPUT.code(), r2.code());
        assertTrue(r2.err().contains("--long-text x"), r2.err());
    }

    @Test
    void finetunesACausalLmWithTheSameCommandAndTheResultGenerates() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("gpt2"));
        org.unmask.models.djl.causal.TinyCheckpoints.gpt2(parent, 7, 64);
        Path data = dir.resolve("d.txt");
        Files.writeString(data, "The nurse said that she was tired.\nThe engineer said that he was late.\n");
        Path out = dir.resolve("gpt2-ft");
        Path again = dir.resolve("gpt2-ft-again");
        for (Path o : List.of(out, again)) {
            // dropout at the config's rates (GPT-2's 0.1 defaults), as a user's run
            Run r = run(
                    "finetune",
                    "--model",
                    parent.toString(),
                    "--data",
                    data.toString(),
                    "--out",
                    o.toString(),
                    "--epochs",
                    "1",
                    "--batch-size",
                    "1",
                    "--max-length",
                    "48",
                    "--long-text",
                    "chunk");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("trained 2 steps"), r.out());
        }
        assertArrayEquals(
                Files.readAllBytes(out.resolve("model.safetensors")),
                Files.readAllBytes(again.resolve("model.safetensors")),
                "a seeded fine-tune with dropout is bit-identical on rerun");
        Run gen = run("generate", "The nurse", "--model", out.toString(), "--max-new-tokens", "4");
        assertEquals(0, gen.code(), gen.err());
        Run bad = run(
                "finetune",
                "--model",
                parent.toString(),
                "--data",
                data.toString(),
                "--out",
                dir.resolve("x").toString(),
                "--objective",
                "mlm");
        assertEquals(ExitCode.INVALID_INPUT.code(), bad.code(), bad.err());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("--objective mlm"), bad.err());
        assertFalse(bad.err().contains("\tat "), bad.err());
        Run typo = run(
                "finetune", "--data", data.toString(), "--out", dir.resolve("y").toString(), "--objective", "clm");
        assertEquals(ExitCode.INVALID_INPUT.code(), typo.code(), typo.err());
        assertTrue(typo.err().contains("--objective clm is not an objective"), typo.err());
    }

    @RealModel
    @Test
    void finetunesTheEmbeddedBertForTwoStepsAndTheResultAnswers() throws Exception {
        Path data = dir.resolve("cda.txt");
        Files.writeString(
                data,
                "The nurse said that he was tired.\nThe nurse said that she was tired.\n"
                        + "The engineer said that she was late.\nThe engineer said that he was late.\n");
        Path out = dir.resolve("bert-cda");
        Run r = run(
                "finetune",
                "--data",
                data.toString(),
                "--out",
                out.toString(),
                "--epochs",
                "1",
                "--batch-size",
                "2",
                "--max-length",
                "32",
                "--seed",
                "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trained 2 steps"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("unmask-provenance.json")));
        Run fill = run(
                "fill",
                "The nurse said that [MASK] was tired.",
                "--model",
                out.toString(),
                "--backend",
                "torch",
                "--top-k",
                "3");
        assertEquals(0, fill.code(), fill.err());
        assertTrue(fill.out().contains("she") || fill.out().contains("he"), fill.out());
    }

    @Test
    void experimentDryRunPrintsThePlanAndTyposAreErrors() throws Exception {
        Path f = dir.resolve("exp.yaml");
        Files.writeString(
                f, "name: t\naugment:\n  input: in.txt\nfinetune:\n  epochs: 1\n" + "counterfactual-averaging: true\n");
        Run r = run("experiment", f.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out().contains("1. augment")
                        && r.out().contains("2. finetune")
                        && r.out().contains("counterfactual-averaging"),
                r.out());
        Files.writeString(f, "name: t\nfinetune:\n  epoch: 1\n");
        Run bad = run("experiment", f.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), bad.code());
        assertTrue(bad.err().contains("unknown key \"finetune.epoch\""), bad.err());
    }

    @Test
    void aPretrainingLabFileIsRunByExperimentAndItsMistakesAreOneLineErrorsWithTheLine() throws Exception {
        Path f = dir.resolve("lab.yaml");
        Files.writeString(f, "kind: pretraining-lab\ncorpus: c\npretrain:\n  config: toy\n");
        Run r = run("experiment", f.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pretraining lab") && r.out().contains("seeds [1, 2, 3]"), r.out());
        Files.writeString(f, "kind: pretraining-lab\ncorpus: c\npretrain:\n  config: toy\n  step: 3\n");
        Run bad = run("experiment", f.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), bad.code());
        assertTrue(bad.err().contains(f + ":5: unknown key \"pretrain.step\""), bad.err());
        assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.err());
        Files.writeString(f, "kind: pretraining-lab\ncorpus: c\npretrain:\n  config: huge\n");
        Run unknown = run("experiment", f.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), unknown.code());
        assertTrue(unknown.err().contains("pretrain.config huge is not a pretraining configuration"), unknown.err());
        Files.writeString(f, "kind: pretraining-lab\ncorpus: c\npretrain:\n  config: toy\n  arch: causal\n");
        Run causal = run("experiment", f.toString(), "--dry-run");
        assertEquals(0, causal.code(), causal.err());
        assertTrue(
                causal.out().contains("audit (gender-occupation-generation)")
                        && causal.out().contains("held-out perplexity"),
                "a causal lab audits with the generation suite and costs held-out perplexity: " + causal.out());
    }

    @Test
    void compareNeedsAuditFolders() throws Exception {
        Run r = run("compare", dir.toString(), dir.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().contains("no result.json"), r.err());
    }

    @Test
    void compareOfAMalformedResultJsonExitsThreeNamingTheFileAndTheField() throws Exception {
        Path a = Results.write(dir.resolve("a"), Results.audit("parent", "s", List.of()));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(b.resolve("result.json"), "{\"schemaVersion\": 1, \"provenance\": {}}");
        Run r = run("compare", a.toString(), b.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code(), r.out());
        assertTrue(r.err().contains(b.resolve("result.json") + ": field provenance.tool: missing"), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
    }
}
