package org.unmask.cli.mitigate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.core.testing.RealModel;
import org.unmask.probes.suite.SuiteLoader;

/**
 * Issue 19: a causal LM that {@code unmask pretrain} trains from scratch runs through {@code generate}, the built-in
 * generation suite and {@code trace}. A few toy steps say nothing about bias; only the plumbing is checked.
 */
class PretrainedCausalEndToEndTest {
    @TempDir
    Path dir;

    private static Path gutenbergMini() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/corpora/gutenberg-mini");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("shared/corpora/gutenberg-mini not found beside the repository");
    }

    private static MitigateCommandsTest.Run run(String... args) {
        return MitigateCommandsTest.run(args);
    }

    /** The built-in generation suite shrunk to one short sample per prompt (the suite has no size option). */
    private Path shrunkGenerationSuite() throws IOException {
        String id = SuiteLoader.GENERATION_SUITE;
        try (InputStream in = SuiteLoader.class.getResourceAsStream("/org/unmask/probes/suites/" + id + ".yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("samples: \\d+", "samples: 1")
                    .replaceAll("max-new-tokens: \\d+", "max-new-tokens: 4")
                    .replace("{lexicon: occupations, column: occupation", "{file: jobs.tsv, column: occupation");
            Files.writeString(dir.resolve("jobs.tsv"), "occupation\tpct_female\nnurse\t90\nengineer\t10\nbaker\t50\n");
            return Files.writeString(dir.resolve(id + ".yaml"), yaml);
        }
    }

    @RealModel
    @Test
    void aToyPretrainedGpt2GeneratesIsAuditedWithTheGenerationSuiteAndIsTraced() throws Exception {
        String corpus = gutenbergMini().toString();
        Path model = dir.resolve("gpt2-toy");
        var pre = run(
                "pretrain",
                "--corpus",
                corpus,
                "--arch",
                "gpt2-toy",
                "--preset",
                "toy",
                "--steps",
                "20",
                "--seed",
                "3",
                "--out",
                model.toString());
        assertEquals(ExitCode.OK.code(), pre.code(), pre.err());

        var gen = run("generate", "--model", model.toString(), "The nurse said that", "--max-new-tokens", "5");
        assertEquals(ExitCode.OK.code(), gen.code(), gen.err());
        assertFalse(gen.out().isBlank(), "a continuation is printed");

        Path audit = dir.resolve("audit");
        var au = run(
                "audit",
                "--suite",
                shrunkGenerationSuite().toString(),
                "--model",
                model.toString(),
                "--out",
                audit.toString(),
                "--resamples",
                "200",
                "--quiet");
        assertEquals(ExitCode.OK.code(), au.code(), au.err());
        assertTrue(Files.exists(audit.resolve("result.json")), "the audit wrote its result");

        Path stats = dir.resolve("stats");
        var st = run("corpus", "stats", corpus, "--out", stats.toString(), "--no-progress");
        assertEquals(ExitCode.OK.code(), st.code(), st.err());

        Path trace = dir.resolve("trace");
        var tr = run(
                "trace",
                "--corpus-stats",
                stats.toString(),
                "--audit",
                audit.toString(),
                "--min-sentences",
                "0",
                "--resamples",
                "200",
                "--out",
                trace.toString());
        assertEquals(ExitCode.OK.code(), tr.code(), tr.err());
        assertTrue(Files.exists(trace.resolve("trace.html")), "the trace was drawn");
        for (var r : new MitigateCommandsTest.Run[] {pre, gen, au, st, tr}) {
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }
}
