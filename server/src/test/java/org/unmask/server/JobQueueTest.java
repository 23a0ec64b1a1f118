package org.unmask.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.server.jobs.JobContext;
import org.unmask.server.jobs.JobOutput;
import org.unmask.server.jobs.JobType;
import org.unmask.server.testing.Client;
import org.unmask.server.testing.FakeMaskedLm;

class JobQueueTest {
    @TempDir
    Path runs;

    /** A job that holds its worker until released. */
    static final class Blocking implements JobType {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String kind() {
            return "benchmark";
        }

        @Override
        public String name() {
            return "blocking";
        }

        @Override
        public String description() {
            return "waits for the test";
        }

        @Override
        public JobOutput run(JobContext ctx) throws InterruptedException {
            ctx.progress(0, 1, "steps");
            release.await(10, TimeUnit.SECONDS);
            ctx.progress(1, 1, "steps");
            return new JobOutput(JsonNodeFactory.instance.objectNode().put("ok", true), "<p>done</p>");
        }
    }

    @Test
    void fullJobQueueAnswers429AndAcceptsAgainOnceDrained() throws Exception {
        Blocking job = new Blocking();
        ServerOptions opts = ServerOptions.local(runs).withJobs(1, 1);
        try (UnmaskServer server = UnmaskServer.start(FakeMaskedLm.create(0, 0), List.of(job), opts)) {
            Client c = new Client(server.port());
            String body = Client.body("kind", "benchmark", "name", "blocking");
            HttpResponse<String> running = c.post("/api/jobs", body);
            assertEquals(202, running.statusCode());
            assertEquals(202, c.post("/api/jobs", body).statusCode()); // waits in the queue of 1
            HttpResponse<String> refused = c.post("/api/jobs", body);
            assertEquals(429, refused.statusCode());
            assertEquals(
                    "job_queue_full",
                    Client.json(refused).get("error").get("code").asText());
            String id = Client.json(running).get("id").asText();
            assertEquals(409, c.get("/api/jobs/" + id + "/result").statusCode(), "not finished yet");
            job.release.countDown();
            for (int i = 0;
                    i < 100
                            && !Client.json(c.get("/api/jobs/" + id))
                                    .get("status")
                                    .asText()
                                    .equals("succeeded");
                    i++) {
                Thread.sleep(20);
            }
            assertEquals(
                    "{\"ok\":true}",
                    Client.json(c.get("/api/jobs/" + id + "/result")).toString());
        }
    }

    @Test
    void bearerTokenIsRequiredOnTheApiWhenConfigured() throws Exception {
        ServerOptions opts = ServerOptions.local(runs).withToken("s3cret");
        try (UnmaskServer server = UnmaskServer.start(FakeMaskedLm.create(0, 0), List.of(), opts)) {
            Client anon = new Client(server.port());
            assertEquals(401, anon.get("/api/info").statusCode());
            assertEquals(
                    401,
                    new Client(server.port())
                            .withToken("wrong")
                            .get("/api/info")
                            .statusCode());
            assertEquals(
                    200,
                    new Client(server.port())
                            .withToken("s3cret")
                            .get("/api/info")
                            .statusCode());
            assertEquals(200, anon.get("/").statusCode(), "the static page carries no data");
        }
    }

    @Test
    void loopbackServerRefusesRequestsForOtherHostNames() throws Exception {
        try (UnmaskServer server =
                UnmaskServer.start(FakeMaskedLm.create(0, 0), List.of(), ServerOptions.local(runs))) {
            assertEquals(421, rawStatus(server.port(), "evil.example"), "DNS rebinding");
            assertEquals(421, rawStatus(server.port(), "127.0.0.1.evil.example:" + server.port()));
            assertEquals(200, rawStatus(server.port(), "localhost:" + server.port()));
            assertEquals(200, rawStatus(server.port(), "127.0.0.1:" + server.port()));
        }
    }

    /** Status of GET /api/info with a hand-written Host header (HttpClient does not allow setting it). */
    private static int rawStatus(int port, String host) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream()
                    .write(("GET /api/info HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(
                            s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void nonLoopbackBindWithoutTokenIsRefused() throws Exception {
        ServerOptions loopback = ServerOptions.local(runs);
        ServerOptions open = new ServerOptions(
                java.net.InetAddress.getByName("0.0.0.0"),
                0,
                java.util.Optional.empty(),
                runs,
                loopback.limits(),
                loopback.batching(),
                2,
                1,
                1);
        InvalidInputException e = assertThrows(InvalidInputException.class, open::check);
        assertEquals(true, e.hint().contains("--token"));
    }
}
