package org.unmask.server.jobs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.ResultCodec;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.measure.MeasurePlan;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;
import org.unmask.report.HtmlReport;

/**
 * A built-in audit suite of the probes module ({@code gender-occupation}) as a server job. The suite's model
 * requests are first sent through the shared model thread in chunks, interleaved with interactive requests,
 * which fills the executor's cache; then {@link AuditEngine#run} scores them, answered from that cache, so
 * the explorer stays responsive while an audit runs. The result JSON (by the result codec) and the HTML report
 * (by the report module) are exactly what {@code unmask audit} writes.
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
        return new AuditJob(SuiteLoader.DEFAULT_SUITE);
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
        Suite suite = SuiteLoader.builtin(suiteId);
        LinkedHashSet<ModelRequest<?>> all = new LinkedHashSet<>();
        for (MeasurePlan p : AuditEngine.plan(suite)) {
            all.addAll(p.requests());
        }
        List<ModelRequest<?>> requests = new ArrayList<>(all);
        for (int from = 0; from < requests.size(); from += CHUNK) {
            ctx.model().run(requests.subList(from, Math.min(requests.size(), from + CHUNK)));
            ctx.progress(Math.min(requests.size(), from + CHUNK), requests.size(), "requests");
        }
        AuditResult result = new AuditEngine().run(AuditSpec.of(suite), ctx.model().executor());
        return new JobOutput(ResultCodec.tree(result), HtmlReport.render(result));
    }
}
