package org.unmask.core.error;

/** The user supplied input that cannot be used; the message names the file, line or field. */
public class InvalidInputException extends UnmaskException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message, String hint) {
        super(Kind.INVALID_INPUT, message, hint);
    }

    public InvalidInputException(String message, String hint, Throwable cause) {
        super(Kind.INVALID_INPUT, message, hint, cause);
    }
}
