package org.unmask.cli;

import java.io.PrintWriter;
import org.unmask.app.Audits;
import org.unmask.core.engine.GenerationJournal;
import org.unmask.core.model.ModelInfo;
import org.unmask.probes.suite.Suite;

/**
 * What the user reads on stderr while an audit runs: the model and suite, a resumed journal (nothing but warnings
 * with {@code quiet}).
 */
public record AuditMessages(PrintWriter err, boolean quiet) implements Audits.Events {
    @Override
    public void auditing(ModelInfo model, Suite suite) {
        if (!quiet) {
            err.println("auditing " + model.id() + " with suite " + suite.id() + " v" + suite.version());
        }
    }

    @Override
    public void resuming(GenerationJournal journal) {
        if (!quiet) {
            err.println("resuming: " + journal.size() + " sampled continuations from " + journal.file()
                    + (journal.skippedLines() > 0 ? " (" + journal.skippedLines() + " cut-short lines redone)" : ""));
        }
    }

    @Override
    public void warning(String message) {
        err.println("warning: " + message);
    }
}
