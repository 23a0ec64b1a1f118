package org.unmask.server.jobs;

import org.unmask.core.error.UnmaskException;

/**
 * A kind of background work the server can run: an audit suite or a benchmark. Implementations plan
 * model requests and send them through {@link JobContext#model()} (the shared model thread, so
 * interactive requests keep flowing), report progress, and return the result as JSON plus the same
 * HTML report the CLI writes.
 */
public interface JobType {
    /** {@code audit} or {@code benchmark}. */
    String kind();

    /** The suite or benchmark name clients ask for, e.g. {@code occupations}; lower case, no path characters. */
    String name();

    /** One line for the explorer page and {@code GET /api/jobs/types}. */
    String description();

    JobOutput run(JobContext context) throws UnmaskException, InterruptedException;
}
