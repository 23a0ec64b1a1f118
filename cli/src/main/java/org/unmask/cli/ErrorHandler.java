package org.unmask.cli;

import org.unmask.core.error.UnmaskException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns exceptions into one clear message and an exit code; stack traces only for real bugs. */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parse) {
        if (ex instanceof UnmaskException u) {
            cl.getErr().println("error: " + u.userMessage());
            return switch (u.kind()) {
                case INVALID_INPUT -> ExitCode.INVALID_INPUT.code();
                case MODEL -> ExitCode.MODEL_ERROR.code();
                case INTERNAL -> ExitCode.INTERNAL_ERROR.code();
            };
        }
        cl.getErr().println("internal error (a bug in unmask, please report it with this trace):");
        ex.printStackTrace(cl.getErr());
        return ExitCode.INTERNAL_ERROR.code();
    }
}
