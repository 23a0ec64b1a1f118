package org.unmask.server.model;

/** The model queue is full; the client should retry shortly (HTTP 503 with Retry-After). */
public final class WorkerBusyException extends Exception {
    private static final long serialVersionUID = 1L;

    public WorkerBusyException() {
        super("the model is busy: too many requests are waiting", null, false, false);
    }
}
