package org.unmask.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;

class ServeCommandTest {
    private static int run(StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    void nonLoopbackBindWithoutTokenIsRefusedBeforeLoadingTheModel() {
        StringWriter err = new StringWriter();
        int code = run(err, "serve", "--bind", "0.0.0.0", "--port", "0");
        assertEquals(ExitCode.INVALID_INPUT.code(), code);
        assertTrue(err.toString().contains("--token"), err.toString());
        assertEquals(2, err.toString().strip().lines().count(), "one message and one hint, no stack trace");
    }

    @Test
    void outOfRangePortIsRefused() {
        StringWriter err = new StringWriter();
        assertEquals(ExitCode.INVALID_INPUT.code(), run(err, "serve", "--port", "70000"));
        assertTrue(err.toString().contains("--port 70000"), err.toString());
    }

    @Test
    void nonPositiveServerLimitIsRefusedWithOneLineBeforeLoadingTheModel() {
        StringWriter err = new StringWriter();
        assertEquals(ExitCode.INVALID_INPUT.code(), run(err, "serve", "--port", "0", "--max-forward-passes", "0"));
        assertTrue(err.toString().contains("--max-forward-passes"), err.toString());
        assertEquals(
                1, err.toString().strip().lines().count(), "one line naming the option and its range, no stack trace");
    }
}
