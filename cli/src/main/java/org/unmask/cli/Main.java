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
            List<String> close = u.getSuggestions();
            err.println("error: unknown command '" + u.getUnmatched().get(0) + "'"
                    + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?"));
        } else {
            err.println("error: " + ex.getMessage());
        }
        err.println("  see: " + cl.getCommandSpec().qualifiedName() + " --help");
        err.flush();
        return ExitCode.USAGE.code();
    }

    /** The first unmatched word sits where a command with subcommands and no positionals expects a command name. */
    private static boolean isUnknownCommand(CommandLine cl, List<String> unmatched) {
        return !unmatched.isEmpty() && !unmatched.get(0).startsWith("-") && !cl.getSubcommands().isEmpty()
                && cl.getCommandSpec().positionalParameters().isEmpty();
    }
}
