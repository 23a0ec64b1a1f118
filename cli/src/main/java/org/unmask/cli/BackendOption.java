package org.unmask.cli;

import org.unmask.core.error.InvalidInputException;
import org.unmask.models.Backend;

/** Parses {@code --backend} with a user-facing error. */
public final class BackendOption {
    private BackendOption() {}

    public static Backend parse(String value) throws InvalidInputException {
        try {
            return Backend.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--backend: " + e.getMessage(), "choose onnx or torch");
        }
    }
}
