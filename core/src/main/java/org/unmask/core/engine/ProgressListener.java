package org.unmask.core.engine;

/** Receives progress of long work; front doors draw bars, libraries only report. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total, unit) -> {};

    /**
     * @param done units finished so far
     * @param total units in all, or -1 when unknown
     * @param unit what is counted, e.g. {@code "forward passes"}
     */
    void progress(long done, long total, String unit);
}
