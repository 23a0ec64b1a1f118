package org.unmask.server.jobs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The live status of one job; written by its worker thread, read by status requests. */
public final class JobState {
    /** Where a job is in its life. */
    public enum Status {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED
    }

    private final String id;
    private final String kind;
    private final String name;
    private final Instant created = Instant.now();
    private volatile Status status = Status.QUEUED;
    private volatile long done;
    private volatile long total = -1;
    private volatile String unit = "";
    private volatile String error = "";
    private volatile Instant finished;

    JobState(String id, String kind, String name) {
        this.id = id;
        this.kind = kind;
        this.name = name;
    }

    public String id() {
        return id;
    }

    public Status status() {
        return status;
    }

    void running() {
        status = Status.RUNNING;
    }

    void progress(long d, long t, String u) {
        done = d;
        total = t;
        unit = u;
    }

    void succeeded() {
        finished = Instant.now();
        status = Status.SUCCEEDED;
    }

    void failed(String message) {
        error = message;
        finished = Instant.now();
        status = Status.FAILED;
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("kind", kind);
        o.put("name", name);
        o.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        ObjectNode p = o.putObject("progress");
        p.put("done", done);
        p.put("total", total);
        p.put("unit", unit);
        if (total > 0) {
            p.put("fraction", Math.min(1.0, (double) done / total));
        }
        o.put("created", created.toString());
        if (finished != null) {
            o.put("finished", finished.toString());
        }
        if (!error.isEmpty()) {
            o.put("error", error);
        }
        if (status == Status.SUCCEEDED) {
            o.put("result", "/api/jobs/" + id + "/result");
            o.put("report", "/api/jobs/" + id + "/report.html");
        }
        return o;
    }
}
