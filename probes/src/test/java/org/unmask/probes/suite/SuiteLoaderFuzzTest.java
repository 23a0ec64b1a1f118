package org.unmask.probes.suite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.testing.Mutations;

/**
 * Seeded mutations of every built-in and example suite: the loader either returns a suite or throws one
 * {@link InvalidInputException} naming the suite (or the term file) it read, never another exception, never a hang.
 */
class SuiteLoaderFuzzTest {
    private static final Path EXAMPLES =
            Path.of("../examples/suites").toAbsolutePath().normalize();
    private static final String SOURCE = "fuzz.yaml";

    static List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String id : SuiteLoader.BUILTIN) {
            try (InputStream in = SuiteLoader.class.getResourceAsStream("/org/unmask/probes/suites/" + id + ".yaml")) {
                out.add(in.readAllBytes());
            }
        }
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void mutatedSuitesLoadOrFailWithOneCleanErrorNamingTheFile() throws IOException {
        List<byte[]> seeds = seeds();
        assertTrue(seeds.size() >= SuiteLoader.BUILTIN.size() + 3, "seeds: built-in and example suites");
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> new Mutations(20241129L, seeds).forEach(3000, input -> outcomes[check(input) ? 0 : 1]++));
        // both outcomes must occur, or the mutations are too mild (or too wild) to test anything
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "loaded " + outcomes[0] + ", rejected " + outcomes[1]);
    }

    /** Whether the input loaded; a clean rejection returns false; anything else fails the test. */
    private static boolean check(byte[] input) {
        try {
            Suite s = SuiteLoader.parse(SOURCE, input, EXAMPLES);
            assertFalse(s.measures().isEmpty());
            return true;
        } catch (InvalidInputException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith(SOURCE) || m.startsWith(EXAMPLES.toString()), "names no file: " + m);
            assertFalse(m.contains("\n"), "one line: " + m);
            return false;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("unclean failure: " + e, e);
        }
    }
}
