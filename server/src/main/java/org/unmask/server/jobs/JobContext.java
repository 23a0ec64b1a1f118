package org.unmask.server.jobs;

import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.TextTokenizer;
import org.unmask.server.model.ModelWorker;

/** What a running job may use: the shared model thread, the model's identity, and a progress sink. */
public interface JobContext {
    ModelWorker model();

    ModelInfo modelInfo();

    TextTokenizer tokenizer();

    /** Reports progress; {@code total} is -1 when unknown. */
    void progress(long done, long total, String unit);
}
