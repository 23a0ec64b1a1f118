package org.unmask.cli.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TraceResult;
import org.unmask.core.result.TraceResult.Run;
import org.unmask.models.djl.causal.TinyCheckpoints;
import org.unmask.probes.suite.SuiteLoader;

/**
 * {@code unmask trace} on generation audits, end to end: corpus stats of a tiny corpus, the built-in completion
 * study on a tiny random GPT-2 ("base") and the built-in chat study on the same weights with a chat template
 * ("instruct"), both shrunk to one sample of four tokens and three occupations, then one trace of both. A random
 * model says nothing about bias: the plumbing (one run per audit and decoding setting, both drawn) is checked.
 */
class TraceGenerationCommandTest {
    @TempDir
    Path tmp;

    private int run(StringWriter out, StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** A built-in suite with its sizes and targets shrunk, written next to jobs.tsv. */
    private Path shrunk(String id) throws IOException {
        try (InputStream in = SuiteLoader.class.getResourceAsStream("/org/unmask/probes/suites/" + id + ".yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("samples: \\d+", "samples: 1")
                    .replaceAll("max-new-tokens: \\d+", "max-new-tokens: 4")
                    .replace("{lexicon: occupations, column: occupation", "{file: jobs.tsv, column: occupation");
            return Files.writeString(tmp.resolve(id + ".yaml"), yaml);
        }
    }

    private Path audit(String suite, Path model, String name) throws IOException {
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int rc = run(
                new StringWriter(),
                err,
                "audit",
                "--suite",
                shrunk(suite).toString(),
                "--model",
                model.toString(),
                "--out",
                tmp.resolve(name).toString(),
                "--resamples",
                "200");
        assertEquals(ExitCode.OK.code(), rc, err.toString());
        // for docs/thaler-pipeline.md: how long a shrunk study takes on the tiny fixture (not asserted)
        System.out.printf("audit %s on the tiny GPT-2: %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        return tmp.resolve(name);
    }

    private Path corpusStats() throws IOException {
        Path corpus = Files.createDirectories(tmp.resolve("corpus"));
        Files.writeString(
                corpus.resolve("part-0.txt"),
                String.join(
                        "\n",
                        "The nurse said she was tired.",
                        "The nurse knew she would stay.",
                        "The nurse said he was tired.",
                        "The engineer said he was ready.",
                        "The engineer knew she would build it.",
                        "The baker said she was up early.",
                        "The baker said he was up early.",
                        ""));
        StringWriter err = new StringWriter();
        int rc = run(
                new StringWriter(),
                err,
                "corpus",
                "stats",
                corpus.toString(),
                "--out",
                tmp.resolve("stats").toString(),
                "--no-progress");
        assertEquals(ExitCode.OK.code(), rc, err.toString());
        return tmp.resolve("stats");
    }

    @Test
    void aBaseAndAnInstructGenerationAuditAreTracedTogetherOneRunPerSetting() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("tiny-base"));
        TinyCheckpoints.gpt2(base, 7, 256);
        Path chat = Files.createDirectories(tmp.resolve("tiny-chat"));
        TinyCheckpoints.gpt2(chat, 7, 256);
        TinyCheckpoints.addChatTemplate(chat, TinyCheckpoints.PLAIN_CHAT_TEMPLATE);
        Files.writeString(tmp.resolve("jobs.tsv"), "occupation\tpct_female\nnurse\t90\nengineer\t10\nbaker\t50\n");
        Path stats = corpusStats();
        Path baseAudit = audit(SuiteLoader.GENERATION_SUITE, base, "base");
        Path instructAudit = audit(SuiteLoader.GENERATION_CHAT_SUITE, chat, "instruct");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path dir = tmp.resolve("trace");
        int rc = run(
                out,
                err,
                "trace",
                "--corpus-stats",
                stats.toString(),
                "--audit",
                baseAudit.toString(),
                "--audit",
                instructAudit.toString(),
                "--min-sentences",
                "0",
                "--resamples",
                "200",
                "--out",
                dir.toString());
        assertEquals(ExitCode.OK.code(), rc, err.toString());

        TraceResult r = ResultCodec.readTrace(dir);
        List<String> settings = List.of("default", "temperature-0.7", "top-p-0.9", "top-k-40");
        assertEquals(
                8, r.runs().size(), r.runs().stream().map(Run::label).toList().toString());
        for (int i = 0; i < 8; i++) {
            Run run = r.runs().get(i);
            String audit = i < 4 ? "base" : "instruct";
            assertEquals(audit + " · " + settings.get(i % 4), run.label());
            assertEquals("generation", run.measure());
            assertTrue(run.points().size() <= 3, "only the audited occupations are compared");
            assertEquals(
                    3,
                    run.points().size()
                            + run.excluded().stream()
                                    .filter(x -> x.startsWith("nurse (")
                                            || x.startsWith("engineer (")
                                            || x.startsWith("baker ("))
                                    .count(),
                    run.excluded().toString());
        }
        String html = Files.readString(dir.resolve("trace.html"));
        assertTrue(
                html.contains("data-run='base · default'") && html.contains("data-run='instruct · top-k-40'"),
                "both runs are drawn");
        assertTrue(out.toString().contains("instruct · temperature-0.7"), out.toString());
        assertEquals(
                1 + r.runs().stream().mapToInt(x -> x.points().size()).sum(),
                Files.readString(dir.resolve("trace.csv")).lines().count());
    }

    @Test
    void anAuditWithNoUsableMeasureOrAnUnknownMeasureIsOneLineWithoutAStackTrace() throws IOException {
        Path stats = corpusStats();
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(
                empty.resolve("result.json"),
                ResultCodec.render(org.unmask.core.testing.Results.audit("m", "s", List.of())));
        StringWriter err = new StringWriter();
        int rc = run(
                new StringWriter(),
                err,
                "trace",
                "--corpus-stats",
                stats.toString(),
                "--audit",
                empty.toString(),
                "--out",
                tmp.resolve("t").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), rc, err.toString());
        assertTrue(
                err.toString()
                        .contains("has no generation, zero-shot, pronoun-lean, cooccurrence-log-ratio"
                                + " measure to trace (it has: none)"),
                err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
        err = new StringWriter();
        rc = run(
                new StringWriter(),
                err,
                "trace",
                "--corpus-stats",
                stats.toString(),
                "--audit",
                empty.toString(),
                "--measure",
                "bleu",
                "--out",
                tmp.resolve("t").toString());
        assertEquals(ExitCode.USAGE.code(), rc, err.toString());
        assertTrue(err.toString().contains("--measure bleu is not a measure trace reads"), err.toString());
    }
}
