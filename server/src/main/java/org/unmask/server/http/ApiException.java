package org.unmask.server.http;

/**
 * A request the server refuses, with the HTTP status and a stable machine-readable code. Rendered as
 * {@code {"error": {"status", "code", "message", "hint"}}} so clients never see a stack trace.
 */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String hint;

    public ApiException(int status, String code, String message, String hint) {
        super(message);
        this.status = status;
        this.code = code;
        this.hint = hint == null ? "" : hint;
    }

    public static ApiException badRequest(String code, String message, String hint) {
        return new ApiException(400, code, message, hint);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, "");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String hint() {
        return hint;
    }
}
