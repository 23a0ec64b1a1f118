package org.unmask.server.jobs;

import java.util.List;
import org.unmask.app.Audits;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.ResultCodec;

/**
 * A built-in audit suite ({@code gender-occupation}, {@code occupations}) as a server job, run through the one audit
 * path ({@link Audits}). The suite's model requests are first sent through the shared model thread in chunks,
 * interleaved with interactive requests, which fills the executor's cache; then the audit scores them, answered from
 * that cache, so the explorer stays responsive while an audit runs. The result JSON (by the result codec) and the
 * HTML report (by the report module) are exactly what {@code unmask audit} writes.
 */
public final class AuditJob implements JobType {
    /** Requests per model-thread submission: small enough that interactive requests wait at most one chunk. */
    private static final int CHUNK = 32;

    private final String suiteId;

    public AuditJob(String suiteId) {
        this.suiteId = suiteId;
    }

    /** The default suite of {@code unmask audit}. */
    public static AuditJob defaultSuite() {
        return new AuditJob(Audits.Builtin.DEFAULT);
    }

    /** The quick occupation audit: per-occupation association with pronouns and person nouns, against BLS. */
    public static AuditJob occupations() {
        return new AuditJob(Audits.Builtin.OCCUPATIONS);
    }

    @Override
    public String kind() {
        return "audit";
    }

    @Override
    public String name() {
        return suiteId;
    }

    @Override
    public String description() {
        return "The built-in \"" + suiteId + "\" suite of unmask audit (all measures, bootstrap CIs, assertions)";
    }

    @Override
    public JobOutput run(JobContext ctx) throws UnmaskException, InterruptedException {
        Audits.Builtin suite = Audits.Builtin.of(suiteId);
        List<ModelRequest<?>> requests = suite.requests();
        for (int from = 0; from < requests.size(); from += CHUNK) {
            ctx.model().run(requests.subList(from, Math.min(requests.size(), from + CHUNK)));
            ctx.progress(Math.min(requests.size(), from + CHUNK), requests.size(), "requests");
        }
        AuditResult result = suite.run(ctx.model().executor());
        return new JobOutput(ResultCodec.tree(result), Audits.html(result));
    }
}
