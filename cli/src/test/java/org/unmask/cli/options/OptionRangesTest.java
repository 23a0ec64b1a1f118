package org.unmask.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unmask.cli.ExitCode;
import org.unmask.cli.Main;
import org.unmask.cli.UnmaskCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Every numeric option of every command goes through the one range check: a value outside its range is one line
 * naming the option, the value and the allowed range, exit 3 (invalid input), before any model or file is touched;
 * a value that is not a number is a usage error, exit 2. No stack trace either way.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a check that let a value through could start serving or training
class OptionRangesTest {
    /**
     * The least a command needs to parse (its required parameters); nothing here exists, because a value out of
     * range must be reported before any of it is opened.
     */
    private static final Map<String, List<String>> MINIMAL = new LinkedHashMap<>();

    static {
        MINIMAL.put("fill", List.of("fill", "A [MASK]."));
        MINIMAL.put("generate", List.of("generate", "Hi", "--model", "no-such-model-folder"));
        MINIMAL.put("audit", List.of("audit", "--out", "no-such-folder/audit"));
        MINIMAL.put("perf", List.of("perf", "fill-mask"));
        MINIMAL.put("bench", List.of("bench", "fill-mask"));
        MINIMAL.put("benchmark", List.of("benchmark", "seat"));
        MINIMAL.put("serve", List.of("serve"));
        MINIMAL.put("finetune", List.of("finetune", "--data", "no-such.txt", "--out", "no-such-model"));
        MINIMAL.put("pretrain", List.of("pretrain", "--corpus", "no-such-corpus", "--out", "no-such-model"));
        MINIMAL.put("pppl", List.of("pppl"));
        MINIMAL.put("compare", List.of("compare", "no-such-a", "no-such-b"));
        MINIMAL.put("corpus stats", List.of("corpus", "stats", "no-such-corpus", "--out", "no-such-out"));
        MINIMAL.put("corpus perf", List.of("corpus", "perf", "--source", "no-such-corpus"));
        MINIMAL.put("corpus bench", List.of("corpus", "bench", "--source", "no-such-corpus"));
        MINIMAL.put("trace", List.of("trace", "--corpus-stats", "no-such", "--audit", "no-such", "--out", "no-such"));
    }

    record Run(int code, String out, String err) {}

    static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(String line) {
        return run(Arrays.asList(line.split(" ")));
    }

    /** The cases and one per kind of range, with the exact line users see. */
    @ParameterizedTest(name = "unmask {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "fill A_[MASK]. --batch-size 0        | --batch-size 0 is out of range (allowed: 1..1024)",
                "fill A_[MASK]. --batch-size -3       | --batch-size -3 is out of range (allowed: 1..1024)",
                "fill A_[MASK]. --batch-size 1025     | --batch-size 1025 is out of range (allowed: 1..1024)",
                "fill A_[MASK]. --top-k -1            | --top-k -1 is out of range (allowed: 0..1000)",
                "audit --batch-size 0                 | --batch-size 0 is out of range (allowed: 1..1024)",
                "audit --resamples 99                 | --resamples 99 is out of range (allowed: 100..100000)",
                "generate Hi -m x -n 0                | -n 0 is out of range (allowed: 1..1000)",
                "generate Hi -m x --max-new-tokens 0  | --max-new-tokens 0 is out of range (allowed: 1..4096)",
                "generate Hi -m x --temperature -0.5  | --temperature -0.5 is out of range (allowed: a finite number >= 0)",
                "generate Hi -m x --temperature NaN   | --temperature NaN is out of range (allowed: a finite number >= 0)",
                "generate Hi -m x --top-k -1          | --top-k -1 is out of range (allowed: >= 0)",
                "generate Hi -m x --top-p 0           | --top-p 0.0 is out of range (allowed: (0, 1])",
                "generate Hi -m x --top-p 1.5         | --top-p 1.5 is out of range (allowed: (0, 1])",
                "perf fill-mask --seconds 0           | --seconds 0.0 is out of range (allowed: (0, 3600])",
                "perf fill-mask --batches 1,0,8       | --batches 0 is out of range (allowed: 1..1024)",
                "benchmark seat --limit -1            | --limit -1 is out of range (allowed: >= 0)",
                "serve --port 70000                   | --port 70000 is out of range (allowed: 0..65535)",
                "serve --threads 0                    | --threads 0 is out of range (allowed: 1..1024)",
                "finetune --data d.txt --epochs 0     | --epochs 0 is out of range (allowed: 1..1000)",
                "finetune --data d.txt --lr 0         | --lr 0.0 is out of range (allowed: (0, 1])",
                "finetune --data d.txt --dropout 1    | --dropout 1.0 is out of range (allowed: [0, 1))",
                "pppl --sentences 0                   | --sentences 0 is out of range (allowed: 1..1000000)",
                "corpus stats c --out o --window 0    | --window 0 is out of range (allowed: 1..10000)",
                "corpus stats c --out o --threads 0   | --threads 0 is out of range (allowed: 1..4096)",
                "corpus perf --copies 0               | --copies 0 is out of range (allowed: 1..1000)",
                "corpus bench --copies 0              | --copies 0 is out of range (allowed: 1..1000)",
                "trace --corpus-stats s --audit a --out o --min-sentences -1"
                        + " | --min-sentences -1 is out of range (allowed: >= 0)",
            })
    void outOfRangeValueIsOneLineNamingOptionValueAndRange(String line, String message) {
        List<String> args = new ArrayList<>();
        for (String a : line.strip().split(" +")) {
            args.add(a.replace('_', ' '));
        }
        Run r = run(args);
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code(), r.err());
        assertEquals("error: " + message.strip(), r.err().strip());
        assertEquals("", r.out());
    }

    /** Walks the whole command tree, so an option added later without a working range check fails here. */
    @TestFactory
    Stream<DynamicTest> everyRangedOptionOfEveryCommandRejectsValuesJustOutsideItsRange() {
        List<DynamicTest> tests = new ArrayList<>();
        for (CommandLine command : commands()) {
            String name = path(command);
            for (OptionSpec option : command.getCommandSpec().options()) {
                Range range = OptionRanges.range(option);
                if (range == null) {
                    continue;
                }
                List<String> base = MINIMAL.get(name);
                if (base == null) {
                    fail("add a minimal command line for `unmask " + name + "` (it has " + option.longestName()
                            + ") to MINIMAL");
                }
                for (String bad : badValues(range, option)) {
                    tests.add(DynamicTest.dynamicTest(name + " " + option.longestName() + "=" + bad, () -> {
                        List<String> args = new ArrayList<>(base);
                        args.add(option.longestName() + "=" + bad);
                        Run r = run(args);
                        assertEquals(ExitCode.INVALID_INPUT.code(), r.code(), r.err());
                        String err = r.err().strip();
                        assertTrue(
                                err.startsWith("error: " + option.longestName() + " ")
                                        && err.contains(" is out of range (allowed: "),
                                err);
                        assertEquals(1, err.lines().count(), "one line: " + err);
                    }));
                }
            }
        }
        assertTrue(tests.size() > 40, "the walk found the options: " + tests.size());
        return tests.stream();
    }

    @Test
    void everyNumericOptionOfEveryCommandDeclaresItsRange() {
        List<String> missing = new ArrayList<>();
        for (CommandLine command : commands()) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                boolean seed = option.longestName().equals("--seed"); // any long is a seed
                if (OptionRanges.isNumeric(option) && !seed && OptionRanges.range(option) == null) {
                    missing.add("unmask " + path(command) + " " + option.longestName());
                }
            }
        }
        assertEquals(List.of(), missing, "numeric options without @Range");
    }

    @Test
    void aValueThatIsNotANumberIsAUsageErrorPointingAtTheCommandsHelp() {
        Run r = run("fill A --batch-size abc");
        assertEquals(ExitCode.USAGE.code(), r.code());
        assertTrue(r.err().startsWith("error: Invalid value for option '--batch-size': 'abc' is not an int"), r.err());
        assertTrue(r.err().contains("  see: unmask fill --help"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void helpIsShownEvenWhenAnotherOptionIsOutOfRange() {
        Run r = run("fill --batch-size 0 --help");
        assertEquals(ExitCode.OK.code(), r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: unmask fill"), r.out());
    }

    @Test
    void defaultsAreInRange() throws Exception {
        for (Map.Entry<String, List<String>> e : MINIMAL.entrySet()) {
            ParseResult parse =
                    new CommandLine(new UnmaskCommand()).parseArgs(e.getValue().toArray(String[]::new));
            while (parse.subcommand() != null) {
                parse = parse.subcommand();
            }
            try {
                OptionRanges.check(parse.commandSpec());
            } catch (org.unmask.core.error.InvalidInputException ex) {
                fail("unmask " + e.getKey() + ": a default is out of range: " + ex.getMessage());
            }
        }
    }

    @Test
    void rangesReadAsUsersWriteThem() throws Exception {
        assertEquals("1..1024", OptionRanges.describe(rangeOf("batch"), 5));
        assertEquals("(0, 1]", OptionRanges.describe(rangeOf("probabilityOpenAtZero"), 0.5));
        assertEquals("[0, 1)", OptionRanges.describe(rangeOf("fraction"), 0.5));
        assertEquals("a finite number > 0", OptionRanges.describe(rangeOf("positive"), 0.5));
        assertFalse(OptionRanges.allows(rangeOf("positive"), Double.POSITIVE_INFINITY));
        assertFalse(OptionRanges.allows(rangeOf("positive"), 0.0));
        assertTrue(OptionRanges.allows(rangeOf("fraction"), 0.0));
        assertFalse(OptionRanges.allows(rangeOf("fraction"), 1.0));
    }

    @SuppressWarnings("unused") // read through reflection by rangesReadAsUsersWriteThem
    private static final class Samples {
        @Range(min = 1, max = 1024)
        int batch;

        @Range(min = 0, minExclusive = true, max = 1)
        double probabilityOpenAtZero;

        @Range(min = 0, max = 1, maxExclusive = true)
        double fraction;

        @Range(min = 0, minExclusive = true)
        double positive;
    }

    private static Range rangeOf(String field) throws NoSuchFieldException {
        return Samples.class.getDeclaredField(field).getAnnotation(Range.class);
    }

    /** A value just below and just above the range (where bounded), and NaN and infinity for decimals. */
    private static List<String> badValues(Range r, OptionSpec option) {
        Class<?> t = option.type().isArray() ? option.type().getComponentType() : option.type();
        boolean decimal = t == double.class || t == Double.class || t == float.class || t == Float.class;
        List<String> out = new ArrayList<>();
        if (r.min() != Double.NEGATIVE_INFINITY) {
            double v = r.minExclusive() ? r.min() : decimal ? r.min() - 0.5 : r.min() - 1;
            out.add(decimal ? Double.toString(v) : Long.toString((long) v));
        }
        if (r.max() != Double.POSITIVE_INFINITY && r.max() < Integer.MAX_VALUE) {
            double v = r.maxExclusive() ? r.max() : decimal ? r.max() + 0.5 : r.max() + 1;
            out.add(decimal ? Double.toString(v) : Long.toString((long) v));
        }
        if (decimal) {
            out.add("NaN");
            out.add("Infinity");
        }
        return out;
    }

    private static List<CommandLine> commands() {
        List<CommandLine> all = new ArrayList<>();
        collect(new CommandLine(new UnmaskCommand()), all);
        return all;
    }

    private static void collect(CommandLine c, List<CommandLine> all) {
        all.add(c);
        // aliases (e.g. a deprecated name) map to the same command: visit each command once
        c.getSubcommands().values().stream().distinct().forEach(s -> collect(s, all));
    }

    private static String path(CommandLine c) {
        String q = c.getCommandSpec().qualifiedName();
        return q.equals("unmask") ? "" : q.substring("unmask ".length());
    }
}
