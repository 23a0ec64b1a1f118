package org.unmask.core.error;

/** A model could not be located, read, verified or run. */
public class ModelException extends UnmaskException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message, String hint) {
        super(Kind.MODEL, message, hint);
    }

    public ModelException(String message, String hint, Throwable cause) {
        super(Kind.MODEL, message, hint, cause);
    }
}
