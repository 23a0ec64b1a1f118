package org.unmask.probes.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;

/**
 * Suites as a careless or hostile user writes them (issue 14, items 6 and 7): term files that are huge, special or
 * outside the suite's folder, YAML anchors and aliases, and bytes that are not UTF-8. Each is one clear error naming
 * the file (and line where there is one), never a silently wrong term list or an exhausted memory.
 */
class SuiteHostileInputTest {
    @TempDir
    Path root;

    private static final String SUITE = """
            id: t
            terms:
              a: [she]
              b: [he]
              jobs: JOBS
            templates:
              - id: x
                text: "The [TARGET] said that [MASK] left."
            measures:
              - measure: pronoun-lean
                templates: [x]
                groups: [a, b]
                targets: jobs
            """;

    private Path suite(String jobs) throws IOException {
        Path dir = Files.createDirectories(root.resolve("suites"));
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, SUITE.replace("JOBS", jobs));
        return f;
    }

    private static InvalidInputException fails(Path suite) {
        return assertTimeoutPreemptively(
                Duration.ofSeconds(30), () -> assertThrows(InvalidInputException.class, () -> SuiteLoader.load(suite)));
    }

    @Test
    void aTermFileOutsideTheSuitesFolderIsRefused() throws Exception {
        Files.writeString(root.resolve("secret.txt"), "root:x:0:0\n");
        InvalidInputException e = fails(suite("{file: ../secret.txt}"));
        assertTrue(
                e.getMessage().contains("s.yaml:5: term file ../secret.txt is outside the suite's folder"),
                e.getMessage());
        assertTrue(e.hint().contains("--allow-outside-term-files"), e.hint());
        InvalidInputException abs = fails(suite("{file: " + root.resolve("secret.txt") + "}"));
        assertTrue(abs.getMessage().contains("outside the suite's folder"), abs.getMessage());
    }

    @Test
    void aSymlinkInsideTheFolderThatLeadsOutsideIsRefused() throws Exception {
        Path secret = Files.writeString(root.resolve("secret.txt"), "root\n");
        Path s = suite("{file: jobs.txt}");
        try {
            Files.createSymbolicLink(s.resolveSibling("jobs.txt"), secret);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here");
        }
        assertTrue(fails(s).getMessage().contains("outside the suite's folder"));
    }

    @Test
    void theUserMayAllowTermFilesOutsideTheFolder() throws Exception {
        Files.writeString(root.resolve("jobs.txt"), "nurse\nbaker\n");
        Suite s = SuiteLoader.load(suite("{file: ../jobs.txt}"), SuiteLoader.TermFileScope.ANYWHERE);
        assertEquals(List.of("nurse", "baker"), s.terms("jobs").texts());
    }

    @Test
    void aSubfolderOfTheSuitesFolderIsInside() throws Exception {
        Path s = suite("{file: lists/jobs.txt}");
        Files.createDirectories(s.resolveSibling("lists"));
        Files.writeString(s.resolveSibling("lists").resolve("jobs.txt"), "nurse\n");
        assertEquals(List.of("nurse"), SuiteLoader.load(s).terms("jobs").texts());
    }

    @Test
    void aDeviceIsNotATermFile() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        InvalidInputException e = assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThrows(
                        InvalidInputException.class,
                        () -> SuiteLoader.load(suite("{file: /dev/zero}"), SuiteLoader.TermFileScope.ANYWHERE)));
        assertTrue(e.getMessage().contains("s.yaml:5: term file /dev/zero is not a regular file"), e.getMessage());
    }

    @Test
    void aTermFileOverTheCapIsAnErrorNamingTheCap() throws Exception {
        Path s = suite("{file: big.txt}");
        byte[] line = "word\n".getBytes(StandardCharsets.US_ASCII);
        byte[] big = new byte[SuiteLoader.MAX_TERM_FILE_BYTES + line.length];
        for (int i = 0; i < big.length; i++) {
            big[i] = line[i % line.length];
        }
        Files.write(s.resolveSibling("big.txt"), big);
        InvalidInputException e = fails(s);
        assertTrue(e.getMessage().contains("s.yaml:5: term file big.txt is larger than 1 MiB"), e.getMessage());
    }

    @Test
    void aSuiteFileOverTheCapIsAnError() throws Exception {
        Path f = Files.createDirectories(root.resolve("suites")).resolve("huge.yaml");
        Files.writeString(f, SUITE.replace("JOBS", "[nurse]") + "#".repeat(SuiteLoader.MAX_SUITE_BYTES));
        InvalidInputException e = fails(f);
        assertTrue(e.getMessage().contains("huge.yaml is larger than 1 MiB"), e.getMessage());
    }

    @Test
    void anAliasIsRejectedWithItsLineNotAuditedAsTheAnchorsName() throws Exception {
        Path f = Files.createDirectories(root.resolve("suites")).resolve("alias.yaml");
        Files.writeString(f, SUITE.replace("JOBS", "[nurse, *w]").replace("b: [he]", "b: [&w he]"));
        InvalidInputException e = fails(f);
        assertTrue(e.getMessage().contains("alias.yaml:5: YAML alias '*w' is not supported"), e.getMessage());
        assertTrue(e.hint().contains("write the value out"), e.hint());
        Files.writeString(f, SUITE.replace("JOBS", "&jobs [nurse]\n  more: *jobs"));
        assertTrue(fails(f).getMessage().contains("alias.yaml:6: YAML alias '*jobs'"));
    }

    @Test
    void anAnchorWithoutAliasReadsAsWritten() throws Exception {
        Path s = suite("[nurse, &w baker]");
        assertEquals(
                List.of("nurse", "baker"), SuiteLoader.load(s).terms("jobs").texts());
    }

    @Test
    void nonUtf8BytesInASuiteAreRejectedWithTheirLine() throws Exception {
        Path f = Files.createDirectories(root.resolve("suites")).resolve("latin1.yaml");
        Files.write(f, SUITE.replace("JOBS", "[nurse, caf\u00e9]").getBytes(StandardCharsets.ISO_8859_1));
        InvalidInputException e = fails(f);
        assertTrue(e.getMessage().contains("latin1.yaml:5: not UTF-8 text"), e.getMessage());
        assertTrue(e.hint().contains("UTF-8"), e.hint());
    }

    @Test
    void nonUtf8BytesInATermFileAreRejectedWithTheirLine() throws Exception {
        Path s = suite("{file: jobs.txt}");
        Files.write(s.resolveSibling("jobs.txt"), "nurse\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        InvalidInputException e = fails(s);
        assertTrue(e.getMessage().contains("jobs.txt:2: not UTF-8 text"), e.getMessage());
    }

    @Test
    void utf8TextOutsideAsciiStillLoads() throws Exception {
        Path s = suite("[nurse, caf\u00e9]");
        assertEquals(
                List.of("nurse", "caf\u00e9"), SuiteLoader.load(s).terms("jobs").texts());
    }
}
