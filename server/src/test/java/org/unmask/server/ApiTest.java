package org.unmask.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.server.jobs.AuditJob;
import org.unmask.server.testing.Client;
import org.unmask.server.testing.FakeMaskedLm;

class ApiTest {
    @TempDir
    static Path runs;

    static ScriptedMaskedLm model;
    static UnmaskServer server;
    static Client client;

    @BeforeAll
    static void start() throws Exception {
        model = FakeMaskedLm.create(0, 0);
        server = UnmaskServer.start(
                model,
                List.of(AuditJob.occupations(), AuditJob.defaultSuite()),
                ServerOptions.local(runs).withJobs(1, 4));
        client = new Client(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void fillMaskAnswersWithHuggingFaceFields() {
        HttpResponse<String> r = client.post(
                "/api/fill-mask",
                Client.body(
                        "inputs",
                        List.of("the man worked as a [MASK].", "the woman worked as a [MASK]."),
                        "top_k",
                        3,
                        "targets",
                        List.of("nurse", "firefighter")));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode res = Client.json(r).get("results");
        assertEquals(2, res.size());
        JsonNode man = res.get(0).get(0);
        assertEquals(3, man.get("predictions").size());
        JsonNode top = man.get("predictions").get(0);
        assertEquals("doctor", top.get("token_str").asText());
        assertTrue(top.get("score").asDouble() > 0 && top.get("score").asDouble() < 1);
        assertTrue(top.get("token").isInt());
        assertEquals("the man worked as a doctor .", top.get("sequence").asText());
        JsonNode fire = man.get("targets").get(1);
        assertEquals("firefighter", fire.get("token_str").asText());
        assertEquals(2, fire.get("pieces").size(), "scored by the chain rule over fire + ##fighter");
        assertEquals(
                "nurse",
                res.get(1).get(0).get("predictions").get(0).get("token_str").asText());
    }

    @Test
    void exploreMarksGenderedAndNeutralCompletionsPerGroup() {
        HttpResponse<String> r =
                client.post("/api/explore", Client.body("template", "[MASK] said the [man|woman] .", "top_k", 5));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode groups = Client.json(r).get("groups");
        assertEquals(2, groups.size());
        assertEquals("man", groups.get(0).get("term").asText());
        assertEquals("woman", groups.get(1).get("term").asText());
        for (JsonNode g : groups) {
            assertEquals(5, g.get("completions").size());
            for (JsonNode c : g.get("completions")) {
                String word = c.get("token_str").asText();
                String expected = word.equals("he") ? "male" : word.equals("she") ? "female" : "neutral";
                assertEquals(expected, c.get("gender").asText(), word);
            }
        }
    }

    /** As in every report, a positive lean is toward women: [man|woman] takes woman as term A. */
    @Test
    void associationOfAManWomanSlotLeansPositiveTowardWomenAsTheReportsDo() {
        for (String template : List.of("the [man|woman] is a [MASK].", "the [woman|man] is a [MASK].")) {
            HttpResponse<String> r = client.post("/api/association", Client.body("template", template));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode json = Client.json(r);
            assertEquals("woman", json.get("term_a").asText(), template);
            assertEquals("man", json.get("term_b").asText(), template);
            JsonNode occ = json.get("occupations");
            assertEquals(81, occ.size());
            double doctor = find(occ, "doctor").get("log_ratio").asDouble();
            double nurse = find(occ, "nurse").get("log_ratio").asDouble();
            assertTrue(nurse > 0 && doctor < 0, doctor + " " + nurse);
            JsonNode d = find(occ, "doctor");
            assertEquals(d.get("log_prob_a").asDouble() - d.get("log_prob_b").asDouble(), doctor, 1e-9);
            assertTrue(
                    occ.get(0).get("log_ratio").asDouble()
                            >= occ.get(80).get("log_ratio").asDouble(),
                    "sorted");
        }
    }

    @Test
    void associationOfAPairWithoutAGenderKeepsItsWrittenOrder() {
        HttpResponse<String> r =
                client.post("/api/association", Client.body("template", "the [teacher|writer] is a [MASK]."));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("teacher", Client.json(r).get("term_a").asText());
    }

    /** The explorer marks words with the audit report's gender lexicon, not the bare WinoBias pairs. */
    @Test
    void exploreMarksGenderedJobNounsAsTheAuditReportDoes() {
        HttpResponse<String> r = client.post(
                "/api/explore", Client.body("template", "the [man|woman] served as a [MASK] .", "top_k", 4));
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode g : Client.json(r).get("groups")) {
            List<String> marked = new ArrayList<>();
            for (JsonNode c : g.get("completions")) {
                marked.add(c.get("token_str").asText() + "=" + c.get("gender").asText());
            }
            assertEquals(List.of("waitress=female", "maid=female", "waiter=male", "salesman=male"), marked);
        }
    }

    private static JsonNode find(JsonNode rows, String name) {
        for (JsonNode r : rows) {
            if (r.get("occupation").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no " + name);
    }

    @Test
    void oversizedBodyIsRefusedWith413() {
        String huge = Client.body("inputs", "a [MASK]" + "x".repeat(200_000));
        HttpResponse<String> r = client.post("/api/fill-mask", huge);
        assertEquals(413, r.statusCode());
        assertEquals("body_too_large", Client.json(r).get("error").get("code").asText());
    }

    @Test
    void tenThousandCharacterTextIsRefusedWith400() {
        String text = "the man worked as a [MASK]. " + "word ".repeat(2000);
        assertTrue(text.length() >= 10_000);
        HttpResponse<String> r = client.post("/api/fill-mask", Client.body("inputs", text));
        assertEquals(400, r.statusCode());
        JsonNode err = Client.json(r).get("error");
        assertEquals("text_too_long", err.get("code").asText());
        assertTrue(err.get("message").asText().contains("inputs[0]"));
    }

    @Test
    void textOverTheTokenLimitIsRefusedWith400() {
        String text = "[MASK] " + "hello ".repeat(60); // 367 chars but 63 tokens > the fake's 48
        HttpResponse<String> r = client.post("/api/fill-mask", Client.body("inputs", text));
        assertEquals(400, r.statusCode());
        assertEquals(
                "text_too_many_tokens", Client.json(r).get("error").get("code").asText());
    }

    @Test
    void outOfRangeTopKTooManyInputsAndUnknownFieldsAreRefused() {
        assertEquals("bad_top_k", code(client.post("/api/fill-mask", Client.body("inputs", "a [MASK].", "top_k", 51))));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.add("a [MASK].");
        }
        assertEquals("too_many_inputs", code(client.post("/api/fill-mask", Client.body("inputs", many))));
        assertEquals("unknown_field", code(client.post("/api/fill-mask", Client.body("inputs", "a [MASK].", "x", 1))));
        assertEquals("no_mask", code(client.post("/api/fill-mask", Client.body("inputs", "no mask here"))));
        assertEquals("bad_json", code(client.post("/api/fill-mask", "{not json")));
    }

    private static String code(HttpResponse<String> r) {
        assertEquals(400, r.statusCode(), r.body());
        return Client.json(r).get("error").get("code").asText();
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405() {
        assertEquals(404, client.get("/nope").statusCode());
        assertEquals(404, client.get("/static/../../etc/passwd").statusCode());
        HttpResponse<String> r = client.get("/api/fill-mask");
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        assertEquals(405, client.method("DELETE", "/api/jobs/abc").statusCode());
    }

    @Test
    void runIdWithPathTraversalIsRefusedAndNothingOutsideTheRunsFolderIsRead() throws Exception {
        java.nio.file.Files.writeString(runs.getParent().resolve("secret.json"), "{\"secret\":42}");
        for (String id : List.of("..%2Fsecret.json", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "a%00b", "a.b")) {
            HttpResponse<String> r = client.get("/api/jobs/" + id + "/result");
            assertEquals(400, r.statusCode(), id);
            assertEquals("bad_run_id", Client.json(r).get("error").get("code").asText());
            assertFalse(r.body().contains("secret\":42"));
        }
        assertEquals(404, client.get("/api/jobs/../../secret.json").statusCode());
        assertEquals(404, client.get("/api/jobs/no-such-run").statusCode());
    }

    @Test
    void runsWrittenEarlierAreServedButSymlinksOutOfTheRunsFolderAreNot() throws Exception {
        java.nio.file.Path earlier = java.nio.file.Files.createDirectories(runs.resolve("cli-run-1"));
        java.nio.file.Files.writeString(earlier.resolve("result.json"), "{\"from\":\"disk\"}");
        assertEquals(
                "succeeded",
                Client.json(client.get("/api/jobs/cli-run-1")).get("status").asText());
        assertEquals(
                "disk",
                Client.json(client.get("/api/jobs/cli-run-1/result"))
                        .get("from")
                        .asText());

        java.nio.file.Path outside = java.nio.file.Files.createTempDirectory("unmask-outside");
        java.nio.file.Files.writeString(outside.resolve("result.json"), "{\"secret\":42}");
        java.nio.file.Files.createSymbolicLink(runs.resolve("linked"), outside);
        try {
            HttpResponse<String> r = client.get("/api/jobs/linked/result");
            assertEquals(404, r.statusCode());
            assertFalse(r.body().contains("42"));
        } finally {
            java.nio.file.Files.delete(outside.resolve("result.json"));
            java.nio.file.Files.delete(outside);
        }
    }

    @Test
    void modelReferenceThatLooksLikeAPathIsRefused() {
        for (String ref : List.of("../../etc/passwd", "/etc/passwd", "a/../../b", "C:\\x", "~/.ssh/id_rsa")) {
            HttpResponse<String> r =
                    client.post("/api/jobs", Client.body("kind", "audit", "name", "occupations", "model", ref));
            assertEquals(400, r.statusCode(), ref);
            assertEquals(
                    "bad_model_ref", Client.json(r).get("error").get("code").asText(), ref);
        }
        HttpResponse<String> other =
                client.post("/api/jobs", Client.body("kind", "audit", "name", "occupations", "model", "roberta-base"));
        assertEquals(
                "unknown_model", Client.json(other).get("error").get("code").asText());
    }

    @Test
    void htmlInATemplateComesBackAsJsonDataWithSafeHeaders() {
        String evil = "<img src=x onerror=alert(1)> the [man|woman] is a [MASK] <script>alert(1)</script>";
        HttpResponse<String> r = client.post("/api/explore", Client.body("template", evil));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertEquals(
                evil.replace("[man|woman]", "man"),
                Client.json(r).get("groups").get(0).get("text").asText());
    }

    @Test
    void explorerPageAndAssetsAreServedWithCsp() {
        HttpResponse<String> page = client.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/static/explorer.js"));
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no CDN");
        assertTrue(
                page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertEquals(200, client.get("/static/explorer.css").statusCode());
        assertTrue(client.get("/static/explorer.js")
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("text/javascript"));
    }

    private static JsonNode awaitJob(String id) throws InterruptedException {
        JsonNode status = null;
        for (int i = 0; i < 1200; i++) {
            status = Client.json(client.get("/api/jobs/" + id));
            if (!status.get("status").asText().matches("queued|running")) {
                break;
            }
            Thread.sleep(50);
        }
        return status;
    }

    @Test
    void builtInAuditSuiteRunsAsAJobWithTheCliResultSchema() throws Exception {
        HttpResponse<String> r = client.post("/api/jobs", Client.body("kind", "audit", "name", "gender-occupation"));
        assertEquals(202, r.statusCode(), r.body());
        String id = Client.json(r).get("id").asText();
        JsonNode status = awaitJob(id);
        assertEquals("succeeded", status.get("status").asText(), status.toString());
        assertTrue(status.get("progress").get("total").asInt() > 0);
        JsonNode result = Client.json(client.get("/api/jobs/" + id + "/result"));
        assertEquals(2, result.get("schemaVersion").asInt());
        assertEquals(
                "fake-bert", result.get("provenance").get("model").get("id").asText());
        assertTrue(result.get("measures").size() > 0);
        assertTrue(client.get("/api/jobs/" + id + "/report.html").body().contains("Gender and occupations"));
    }

    /** The occupation job is a built-in suite run like any audit: the CLI's result schema and report. */
    @Test
    void occupationJobRunsTheBuiltInSuiteInTheBackgroundAndServesTheAuditJsonAndHtml() throws Exception {
        HttpResponse<String> r = client.post("/api/jobs", Client.body("kind", "audit", "name", "occupations"));
        assertEquals(202, r.statusCode(), r.body());
        String id = Client.json(r).get("id").asText();
        assertTrue(r.headers().firstValue("Location").orElse("").endsWith(id));
        JsonNode status = awaitJob(id);
        assertEquals("succeeded", status.get("status").asText(), status.toString());
        assertTrue(status.get("progress").get("total").asInt() > 0);
        JsonNode result = Client.json(client.get("/api/jobs/" + id + "/result"));
        assertEquals(2, result.get("schemaVersion").asInt());
        assertEquals(
                "occupations", result.get("provenance").get("suite").get("id").asText());
        JsonNode measures = result.get("measures");
        assertEquals(2, measures.size());
        for (JsonNode m : measures) {
            assertEquals(81, m.get("targets").size(), m.get("name").asText());
            double pearson = aggregate(m, "pearson");
            assertTrue(pearson > 0, "the fake ties nurse/secretary to women, lean + = toward women: r = " + pearson);
        }
        HttpResponse<String> html = client.get("/api/jobs/" + id + "/report.html");
        assertEquals(200, html.statusCode());
        assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(html.body().contains("Occupation-gender association")
                && html.body().contains("nurse"));
    }

    private static double aggregate(JsonNode measure, String id) {
        for (JsonNode a : measure.get("aggregates")) {
            if (a.get("id").asText().equals(id)) {
                return a.get("estimate").get("value").asDouble();
            }
        }
        throw new AssertionError("no aggregate " + id + " in " + measure.get("name"));
    }

    @Test
    void unknownJobNameIsRefusedWithTheAvailableOnes() {
        HttpResponse<String> r = client.post("/api/jobs", Client.body("kind", "audit", "name", "<b>x</b>"));
        assertEquals(400, r.statusCode());
        assertTrue(Client.json(r).get("error").get("hint").asText().contains("audit/occupations"));
    }
}
