package org.unmask.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

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
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("  see: unmask " + ex.getCommandLine().getCommandName() + " --help");
            return ExitCode.USAGE.code();
        });
        return cl.execute(args);
    }
}
