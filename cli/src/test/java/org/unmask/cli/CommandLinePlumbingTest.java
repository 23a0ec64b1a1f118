package org.unmask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Unknown commands and misspelt options: one error line and the help of the right command, never the wrong one. */
class CommandLinePlumbingTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void unknownCommandFollowedByHelpIsAnUnknownCommandErrorNotTheTopLevelHelp() {
        Run r = run("distill", "--help");
        assertEquals(ExitCode.USAGE.code(), r.code(), r.out());
        assertEquals("", r.out(), "no help printed as if the command existed");
        assertTrue(r.err().startsWith("error: unknown command 'distill'"), r.err());
        assertTrue(r.err().contains("  see: unmask --help"), r.err());
    }

    @Test
    void unknownCommandFollowedByVersionIsAnError() {
        assertEquals(ExitCode.USAGE.code(), run("distill", "--version").code());
    }

    @Test
    void unknownCommandHintNamesTheLauncherOnce() {
        Run r = run("distill");
        assertEquals(ExitCode.USAGE.code(), r.code());
        assertEquals(
                "error: unknown command 'distill'\n  see: unmask --help",
                r.err().strip().replace("\r", ""));
        assertFalse(r.err().contains("unmask unmask"), r.err());
    }

    @Test
    void aNearMissSuggestsTheCommand() {
        Run r = run("fil", "A [MASK].");
        assertEquals(ExitCode.USAGE.code(), r.code());
        assertTrue(r.err().startsWith("error: unknown command 'fil'; did you mean fill"), r.err());
    }

    @Test
    void unknownSubcommandOfAGroupPointsAtTheGroupsHelp() {
        Run r = run("corpus", "nosuch", "--help");
        assertEquals(ExitCode.USAGE.code(), r.code());
        assertTrue(r.err().startsWith("error: unknown command 'nosuch'"), r.err());
        assertTrue(r.err().contains("  see: unmask corpus --help"), r.err());
    }

    @Test
    void unknownOptionPointsAtTheFullNameOfItsCommand() {
        Run fill = run("fill", "A [MASK].", "--nosuch");
        assertEquals(ExitCode.USAGE.code(), fill.code());
        assertTrue(fill.err().startsWith("error: Unknown option: '--nosuch'"), fill.err());
        assertTrue(fill.err().contains("  see: unmask fill --help"), fill.err());
        Run stats = run("corpus", "stats", "c", "--out", "o", "--nosuch");
        assertTrue(stats.err().contains("  see: unmask corpus stats --help"), stats.err());
    }

    @Test
    void topLevelHelpStillWorks() {
        Run r = run("--help");
        assertEquals(ExitCode.OK.code(), r.code());
        assertTrue(r.out().startsWith("Usage: unmask"), r.out());
        Run none = run();
        assertEquals(ExitCode.OK.code(), none.code());
        assertTrue(none.out().startsWith("Usage: unmask"), none.out());
    }

    @Test
    void speedMeasurementIsPerfAndTheOldNameStillWorksWithADeprecationNote() {
        Run perf = run("perf", "nosuch");
        assertEquals(ExitCode.INVALID_INPUT.code(), perf.code());
        assertTrue(perf.err().startsWith("error: unknown benchmark \"nosuch\""), perf.err());
        Run bench = run("bench", "nosuch");
        assertEquals(ExitCode.INVALID_INPUT.code(), bench.code());
        assertEquals(
                "warning: `unmask bench` is deprecated; use `unmask perf` (same options)" + System.lineSeparator()
                        + perf.err(),
                bench.err(),
                "one note line, then the same error");
        String help = run("--help").out();
        assertTrue(help.contains("  perf ") && !help.contains("  bench "), help);
    }

    @Test
    void corpusSpeedMeasurementIsPerfAndTheOldNameStillWorksWithADeprecationNote() {
        Run perf = run("corpus", "perf", "--source", "no-such-corpus", "--copies", "1");
        assertEquals(ExitCode.INVALID_INPUT.code(), perf.code(), perf.err());
        Run bench = run("corpus", "bench", "--source", "no-such-corpus", "--copies", "1");
        assertEquals(ExitCode.INVALID_INPUT.code(), bench.code());
        assertEquals(
                "warning: `unmask corpus bench` is deprecated; use `unmask corpus perf` (same options)"
                        + System.lineSeparator() + perf.err(),
                bench.err(),
                "one note line, then the same error");
        String help = run("corpus", "--help").out();
        assertTrue(help.contains("  perf ") && !help.contains("  bench "), help);
    }

    @Test
    void finetunePerfStepsKeepsTheOldOptionNameAsAHiddenDeprecatedAlias() {
        Run perf = run("finetune", "--data", "no-such.txt", "--model", "no-such-model-folder", "--perf-steps", "2");
        assertEquals(ExitCode.MODEL_ERROR.code(), perf.code(), perf.err());
        Run old = run("finetune", "--data", "no-such.txt", "--model", "no-such-model-folder", "--benchmark-steps", "2");
        assertEquals(ExitCode.MODEL_ERROR.code(), old.code());
        assertEquals(
                "warning: `--benchmark-steps` is deprecated; use `--perf-steps` (same meaning)" + System.lineSeparator()
                        + perf.err(),
                old.err(),
                "one note line, then the same error");
        Run both = run("finetune", "--data", "d.txt", "--perf-steps", "2", "--benchmark-steps", "2");
        assertEquals(ExitCode.INVALID_INPUT.code(), both.code(), both.err());
        String help = run("finetune", "--help").out();
        assertTrue(help.contains("--perf-steps") && !help.contains("--benchmark-steps"), help);
    }
}
