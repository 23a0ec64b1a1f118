package org.unmask.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of the {@code unmask} launcher. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI without exiting the JVM, for tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new UnmaskCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionStrategy(new CheckedExecution());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler((ex, a) -> usageError(ex, err));
        return cl.execute(args);
    }

    /** A command line picocli could not parse: one line saying what, then where to read the usage; exit 2. */
    static int usageError(ParameterException ex, PrintWriter err) {
        CommandLine cl = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException u && isUnknownCommand(cl, u.getUnmatched())) {
            String typed = u.getUnmatched().get(0);
            List<String> close = cl.getSubcommands().keySet().stream()
                    .filter(c -> isNearMiss(typed, c))
                    .toList();
            err.println("error: unknown command '" + typed + "'"
                    + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?"));
        } else {
            err.println("error: " + ex.getMessage());
        }
        err.println("  see: " + cl.getCommandSpec().qualifiedName() + " --help");
        err.flush();
        return ExitCode.USAGE.code();
    }

    /**
     * A likely typo of {@code command}: at most one edit per four letters, or a prefix of it ("fil" for "fill").
     * picocli's own suggestions always offer something, often unrelated ("pretrain": trace, finetune, compare).
     */
    static boolean isNearMiss(String typed, String command) {
        if (typed.length() >= 3 && command.startsWith(typed)) {
            return true;
        }
        return editDistance(typed, command) <= Math.max(1, command.length() / 4);
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The first unmatched word sits where a command with subcommands and no positionals expects a command name. */
    private static boolean isUnknownCommand(CommandLine cl, List<String> unmatched) {
        return !unmatched.isEmpty()
                && !unmatched.get(0).startsWith("-")
                && !cl.getSubcommands().isEmpty()
                && cl.getCommandSpec().positionalParameters().isEmpty();
    }
}
