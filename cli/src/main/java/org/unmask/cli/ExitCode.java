package org.unmask.cli;

/** Exit statuses of the {@code unmask} command, documented in the README; CI pipelines gate on them. */
public enum ExitCode {
    /** Everything ran and every assertion held. */
    OK(0),
    /** An unexpected failure (a bug): the message says where to report it. */
    INTERNAL_ERROR(1),
    /**
     * Wrong command-line usage: unknown command or option, missing argument, a value of the wrong type ("abc" for a
     * number). One line, then where to read the command's help.
     */
    USAGE(2),
    /**
     * Bad input: a file, suite, text or option value that cannot be used, including a well-formed number outside
     * its option's range ({@code --batch-size 0}; see {@link org.unmask.cli.options.Range}).
     */
    INVALID_INPUT(3),
    /** The model could not be found, read or verified. */
    MODEL_ERROR(4),
    /** The run finished but a suite assertion failed (a bias threshold was exceeded). */
    ASSERTION_FAILED(5),
    /** The run finished but skipped some input (corrupt shards, malformed rows); see the summary. */
    PARTIAL(6),
    /**
     * Interrupted (Ctrl-C). Commands that checkpoint keep their finished work and a re-run resumes (corpus shards,
     * fine-tuning steps, experiment steps, a generation study's sampled continuations); any other audit restarts.
     */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
