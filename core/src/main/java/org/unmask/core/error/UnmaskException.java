package org.unmask.core.error;

/**
 * Base of every error Unmask reports to a user: what went wrong, where, and how to fix it.
 *
 * <p>Front doors (CLI, server) print {@link #getMessage()} and {@link #hint()} on one or two lines and
 * never a stack trace; the exit status comes from {@link #kind()}.
 */
public class UnmaskException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Broad classes of failure, each mapped to its own exit code by the CLI. */
    public enum Kind {
        /** The user gave input we cannot use (file, option, suite, text). */
        INVALID_INPUT,
        /** A model could not be found, read or verified. */
        MODEL,
        /** Something failed while running; not the user's fault. */
        INTERNAL
    }

    private final Kind kind;
    private final String hint;

    public UnmaskException(Kind kind, String message, String hint) {
        this(kind, message, hint, null);
    }

    public UnmaskException(Kind kind, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hint = hint == null ? "" : hint;
    }

    public Kind kind() {
        return kind;
    }

    /** How to fix it, or an empty string when there is nothing useful to say. */
    public String hint() {
        return hint;
    }

    /** Message and hint on at most two lines, as shown to users. */
    public String userMessage() {
        return hint.isEmpty() ? getMessage() : getMessage() + System.lineSeparator() + "  hint: " + hint;
    }
}
