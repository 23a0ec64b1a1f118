package org.unmask.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;
import org.unmask.core.testing.ScriptedMaskedLm;

class AuditCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void scriptedModel() {
        AuditCommand.opener = (ref, backend) -> ScriptedMaskedLm.of(
                List.of(
                        "the",
                        "a",
                        "an",
                        "woman",
                        "man",
                        "she",
                        "he",
                        "they",
                        "works",
                        "as",
                        "is",
                        "said",
                        "that",
                        "left",
                        "nurse",
                        "carpenter",
                        "engineer",
                        "."),
                (tokens, pos, cand) -> cand.equals("nurse") && tokens.contains("woman") ? 2 : 0);
    }

    @AfterEach
    void realModel() {
        AuditCommand.opener = org.unmask.models.ModelLoader::load;
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void failingAssertionExitsWithTheAssertionCode() {
        int code = run(
                "audit",
                "--suite",
                "src/test/resources/suites/tiny.yaml",
                "--out",
                dir.toString(),
                "--resamples",
                "100",
                "--quiet");
        assertEquals(ExitCode.ASSERTION_FAILED.code(), code, err.toString());
        assertTrue(err.toString().contains("suite assertion(s) failed"));
        assertTrue(Files.exists(dir.resolve("report.html")));
    }

    @Test
    void passingSuiteExitsZeroAndPrintsTheSummary() {
        int code = run(
                "audit",
                "--suite",
                "src/test/resources/suites/tiny-pass.yaml",
                "--out",
                dir.toString(),
                "--resamples",
                "100");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("PASS  max |association| < 5"), out.toString());
        assertTrue(out.toString().contains("report: "));
        assertTrue(err.toString().contains("forward passes"), "progress bar on stderr");
    }

    @Test
    void jsonFlagPrintsTheResult() {
        int code = run(
                "audit",
                "--suite",
                "src/test/resources/suites/tiny-pass.yaml",
                "--out",
                dir.toString(),
                "--resamples",
                "100",
                "--json",
                "--quiet");
        assertEquals(0, code);
        assertTrue(out.toString().startsWith("{") && out.toString().contains("\"schemaVersion\""));
    }

    @Test
    void badSuiteIsOneClearLineWithTheInvalidInputCode() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "id: x\nterms: {a: [she]}\ntemplates: [\"no slots here\"]\nmeasures: []\n");
        int code = run(
                "audit", "--suite", bad.toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), code);
        assertTrue(err.toString().startsWith("error: " + bad + ":3: template 't1' has no slot"), err.toString());
        assertTrue(!err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void missingSuiteFileIsInvalidInput() {
        assertEquals(
                ExitCode.INVALID_INPUT.code(),
                run("audit", "--suite", dir.resolve("nope.yaml").toString()));
        assertTrue(err.toString().contains("suite file not found"));
    }

    @Test
    void aTermFileOutsideTheSuitesFolderNeedsAnExplicitOption() throws Exception {
        Path suites = Files.createDirectories(dir.resolve("suites"));
        Files.copy(Path.of("src/test/resources/suites/jobs.tsv"), dir.resolve("jobs.tsv"));
        String tiny = Files.readString(Path.of("src/test/resources/suites/tiny-pass.yaml"));
        Files.writeString(suites.resolve("s.yaml"), tiny.replace("{file: jobs.tsv,", "{file: ../jobs.tsv,"));
        String suite = suites.resolve("s.yaml").toString();
        assertEquals(
                ExitCode.INVALID_INPUT.code(),
                run("audit", "--suite", suite, "--out", dir.resolve("o").toString(), "--quiet"));
        assertTrue(err.toString().contains("term file ../jobs.tsv is outside the suite's folder"), err.toString());
        assertTrue(!err.toString().contains("\tat "), "no stack trace");
        assertEquals(
                0,
                run(
                        "audit",
                        "--suite",
                        suite,
                        "--allow-outside-term-files",
                        "--out",
                        dir.resolve("o").toString(),
                        "--resamples",
                        "100",
                        "--quiet"),
                err.toString());
    }
}
