package org.unmask.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.unmask.server.http.ApiException;
import org.unmask.server.http.Exchanges;
import org.unmask.server.http.InlinePolicy;
import org.unmask.server.http.JsonFields;
import org.unmask.server.http.Router;
import org.unmask.server.jobs.JobService;
import org.unmask.server.jobs.JobState;
import org.unmask.server.jobs.RunStore;

/**
 * Background jobs: {@code POST /api/jobs} (202 + id), {@code GET /api/jobs/{id}} (status and progress),
 * {@code GET /api/jobs/{id}/result} and {@code GET /api/jobs/{id}/report.html}. A job may name the model
 * it expects; the name is only compared with the served model, never opened as a path.
 */
final class JobEndpoints {
    /** A model reference as a name ({@code org/name}), refusing anything path-like. */
    private static final Pattern MODEL_REF =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,95}(/[A-Za-z0-9][A-Za-z0-9_.-]{0,95})?");

    private final JobService jobs;
    private final String modelId;

    JobEndpoints(JobService jobs, String modelId) {
        this.jobs = jobs;
        this.modelId = modelId;
    }

    void register(Router router) {
        router.add("POST", "/api/jobs", (ex, p) -> submit(ex));
        router.add("GET", "/api/jobs/([^/]+)", (ex, p) -> status(ex, p.get(0)));
        router.add("GET", "/api/jobs/([^/]+)/result", (ex, p) -> file(ex, p.get(0), RunStore.RESULT));
        router.add("GET", "/api/jobs/([^/]+)/report\\.html", (ex, p) -> file(ex, p.get(0), RunStore.REPORT));
    }

    private void submit(HttpExchange ex) throws ApiException, IOException {
        JsonFields f = new JsonFields(Exchanges.readJsonObject(ex, 4096), Set.of("kind", "name", "model"));
        String kind = f.string("kind");
        if (!List.of("audit", "benchmark").contains(kind)) {
            throw ApiException.badRequest("bad_kind", "\"kind\" must be \"audit\" or \"benchmark\"", "");
        }
        String model = f.string("model", modelId);
        if (!MODEL_REF.matcher(model).matches() || model.contains("..")) {
            throw ApiException.badRequest(
                    "bad_model_ref",
                    "\"model\" must be a model name such as " + "bert-base-uncased, not a path",
                    "omit it to use the served model " + modelId);
        }
        if (!model.equals(modelId)) {
            throw ApiException.badRequest(
                    "unknown_model",
                    "this server serves only " + modelId,
                    "start another server with --model to audit another model");
        }
        JobState job = jobs.submit(kind, f.string("name"));
        ObjectNode body = job.toJson();
        ex.getResponseHeaders().set("Location", "/api/jobs/" + job.id());
        Exchanges.sendJson(ex, 202, body);
    }

    private void status(HttpExchange ex, String id) throws ApiException, IOException {
        RunStore.checkId(id);
        Optional<JobState> job = jobs.get(id);
        if (job.isPresent()) {
            Exchanges.sendJson(ex, 200, job.get().toJson());
            return;
        }
        // a run finished by an earlier server process (or the CLI) in the same runs folder
        if (jobs.store().read(id, RunStore.RESULT).isEmpty()) {
            throw ApiException.notFound("no job " + id);
        }
        ObjectNode o = Exchanges.JSON.createObjectNode();
        o.put("id", id);
        o.put("status", "succeeded");
        o.put("result", "/api/jobs/" + id + "/result");
        o.put("report", "/api/jobs/" + id + "/report.html");
        Exchanges.sendJson(ex, 200, o);
    }

    private void file(HttpExchange ex, String id, String file) throws ApiException, IOException {
        RunStore.checkId(id);
        Optional<JobState> job = jobs.get(id);
        if (job.isPresent() && job.get().status() != JobState.Status.SUCCEEDED) {
            throw new ApiException(
                    409,
                    "not_finished",
                    "job " + id + " is " + job.get().status().name().toLowerCase(java.util.Locale.ROOT),
                    "poll GET /api/jobs/" + id + " until it has succeeded");
        }
        byte[] content = jobs.store().read(id, file).orElseThrow(() -> ApiException.notFound("no result for " + id));
        if (file.endsWith(".html")) {
            String csp = InlinePolicy.forHtml(new String(content, java.nio.charset.StandardCharsets.UTF_8));
            Exchanges.send(ex, 200, "text/html; charset=utf-8", content, csp);
        } else {
            Exchanges.send(ex, 200, "application/json; charset=utf-8", content);
        }
    }
}
