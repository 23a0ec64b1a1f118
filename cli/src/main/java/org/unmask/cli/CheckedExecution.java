package org.unmask.cli;

import java.util.ArrayList;
import java.util.List;
import org.unmask.cli.options.OptionRanges;
import org.unmask.core.error.InvalidInputException;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs the parsed command after the checks every command shares, so no command repeats them: no unknown command
 * or argument slipped through (picocli lets one pass when {@code --help} or {@code --version} follows it, and would
 * print the parent's help with exit 0), and every numeric option is in its {@link org.unmask.cli.options.Range}.
 */
final class CheckedExecution implements IExecutionStrategy {
    @Override
    public int execute(ParseResult parse) throws ExecutionException, ParameterException {
        List<ParseResult> chain = new ArrayList<>();
        for (ParseResult p = parse; p != null; p = p.subcommand()) {
            chain.add(p);
        }
        boolean helpRequested = false;
        for (ParseResult p : chain) {
            if (!p.unmatched().isEmpty() && !p.commandSpec().parser().unmatchedArgumentsAllowed()) {
                throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
            helpRequested |= p.isUsageHelpRequested() || p.isVersionHelpRequested();
        }
        if (!helpRequested) {
            ParseResult last = chain.get(chain.size() - 1);
            try {
                OptionRanges.check(last.commandSpec());
            } catch (InvalidInputException e) {
                throw new ExecutionException(last.commandSpec().commandLine(), e.getMessage(), e);
            }
        }
        return new RunLast().execute(parse);
    }
}
