package org.unmask.server.model;

/**
 * Whether the client that asked for some model work no longer wants the answer (its connection closed). Checked by
 * {@link MaskFiller} while it waits, so that the model thread drops work nobody will read.
 */
@FunctionalInterface
public interface Cancellation {
    /** Never cancelled (background jobs, direct callers). */
    Cancellation NONE = () -> false;

    boolean requested();
}
