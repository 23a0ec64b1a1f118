package org.unmask.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.ModelRequest;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditResult;
import org.unmask.probes.AuditResult.AssertionOutcome;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.measure.MeasurePlan;
import org.unmask.probes.measure.MeasureResult;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;
import org.unmask.server.http.Html;

/**
 * A built-in audit suite of the probes module ({@code gender-occupation}) as a server job. The suite's model
 * requests are first sent through the shared model thread in chunks, interleaved with interactive requests,
 * which fills the executor's cache; then {@link AuditEngine#run} scores them, answered from that cache, so
 * the explorer stays responsive while an audit runs. The result JSON is the {@link AuditResult} the CLI
 * writes.
 */
public final class AuditJob implements JobType {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        JsonNode json = JSON.valueToTree(result);
        return new JobOutput(json, html(result));
    }

    /** A summary page: provenance, assertions and measures, every string escaped. */
    static String html(AuditResult r) {
        AuditResult.Provenance p = r.provenance();
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(p.suite().title())).append("</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/explorer.css\"></head><body class=\"report\">")
                .append("<h1>").append(Html.escape(p.suite().title())).append("</h1><p>")
                .append(Html.escape(p.suite().description())).append("</p><p>Model <code>")
                .append(Html.escape(p.model().id())).append("</code> (weights sha256 <code>")
                .append(Html.escape(p.model().weightsSha256())).append("</code>), suite <code>")
                .append(Html.escape(p.suite().id())).append("</code> v").append(p.suite().version())
                .append(", seed ").append(p.seed()).append(", ").append(p.bootstrapResamples())
                .append(" bootstrap resamples.</p><h2>Assertions: ")
                .append(r.assertions().isEmpty() ? "none in this suite" : r.passed() ? "all passed" : "FAILED")
                .append("</h2><table><thead><tr><th>assertion</th><th>value</th><th>result</th></tr></thead><tbody>");
        for (AssertionOutcome a : r.assertions()) {
            b.append("<tr><td><code>").append(Html.escape(a.expression())).append("</code></td><td>")
                    .append(String.format(Locale.ROOT, "%.4f", a.value())).append("</td><td>")
                    .append(a.passed() ? "passed" : "failed").append("</td></tr>");
        }
        b.append("</tbody></table><h2>Measures</h2><ul>");
        for (MeasureResult m : r.measures()) {
            b.append("<li><strong>").append(Html.escape(m.name())).append("</strong> (")
                    .append(Html.escape(m.measure())).append(")</li>");
        }
        return b.append("</ul><p>Full numbers: the job's result JSON.</p></body></html>").toString();
    }
}
