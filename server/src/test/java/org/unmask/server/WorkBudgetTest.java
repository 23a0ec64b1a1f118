package org.unmask.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.server.testing.Client;
import org.unmask.server.testing.FakeMaskedLm;
import org.unmask.server.testing.GatedScorer;

/**
 * The work one request may cause is bounded and dropped when nobody waits for it (issue 14, defect 2: one 517-byte
 * fill-mask request with many multi-piece targets kept the model thread busy for minutes after its client had gone).
 */
@Timeout(60)
class WorkBudgetTest {
    @TempDir
    Path runs;

    /** {@code para ##legal ##legal ...}: a target of {@code 1 + legals} word pieces in the fake vocabulary. */
    private static String target(int legals) {
        return "para" + "legal".repeat(legals);
    }

    /** One text, one mask, nine distinct multi-piece targets (up to 49 characters): 1 + (2 + ... + 10) = 55 passes. */
    private static String heavyBody() {
        List<String> targets = new ArrayList<>();
        for (int k = 1; k <= 9; k++) {
            targets.add(target(k));
        }
        return Client.body("inputs", "the man worked as a [MASK] .", "top_k", 0, "targets", targets);
    }

    private static final int HEAVY_PASSES = 55;

    @Test
    void requestOverTheForwardPassBudgetIsRefusedWith422NamingTheLimitBeforeAnyModelWork() throws Exception {
        GatedScorer model = new GatedScorer(FakeMaskedLm.create(0, 0));
        try (UnmaskServer server = UnmaskServer.start(model, List.of(), ServerOptions.local(runs))) {
            // the request: 5 masks x 10 targets of many word pieces
            List<String> targets = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                targets.add(target(7)); // 39 characters, 8 pieces
            }
            String text = "[MASK] [MASK] said the [MASK] to the [MASK] [MASK] .";
            HttpResponse<String> r =
                    new Client(server.port()).post("/api/fill-mask", Client.body("inputs", text, "targets", targets));
            assertEquals(422, r.statusCode(), r.body());
            JsonNode err = Client.json(r).get("error");
            assertEquals("too_much_work", err.get("code").asText());
            assertTrue(err.get("message").asText().contains("401 model forward passes"), err.toString());
            assertTrue(
                    err.get("message").asText().contains("limit of " + ServerLimits.DEFAULT.maxForwardPasses()),
                    err.toString());
            assertEquals(0, model.forwardPasses(), "refused before any model work");
        }
    }

    @Test
    void timedOutRequestsRemainingForwardPassesAreNotRun() throws Exception {
        GatedScorer model = new GatedScorer(FakeMaskedLm.create(0, 0));
        ServerOptions options =
                ServerOptions.local(runs).withLimits(ServerLimits.DEFAULT.withRequestTimeoutMillis(300));
        try (UnmaskServer server = UnmaskServer.start(model, List.of(), options)) {
            Client client = new Client(server.port());
            model.hold();
            CompletableFuture<HttpResponse<String>> heavy =
                    CompletableFuture.supplyAsync(() -> client.post("/api/fill-mask", heavyBody()));
            model.awaitHeldCall(); // the first batch of 32 passes is inside the model
            HttpResponse<String> timedOut = heavy.get();
            assertEquals(503, timedOut.statusCode(), timedOut.body());
            assertEquals(
                    "model_timeout",
                    Client.json(timedOut).get("error").get("code").asText());
            model.release();
            assertNextRequestIsServedAfterTheDroppedWork(server, model, client);
        }
    }

    @Test
    void requestWhoseClientDisconnectsHasItsRemainingForwardPassesDropped() throws Exception {
        GatedScorer model = new GatedScorer(FakeMaskedLm.create(0, 0));
        try (UnmaskServer server = UnmaskServer.start(model, List.of(), ServerOptions.local(runs))) {
            model.hold();
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                byte[] body = heavyBody().getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/fill-mask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                model.awaitHeldCall();
            } // the client goes away while its first batch runs
            long until = System.nanoTime() + 10_000_000_000L;
            while (server.worker().stats().cancelled() == 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(1, server.worker().stats().cancelled(), "the server noticed the client had gone");
            model.release();
            assertNextRequestIsServedAfterTheDroppedWork(server, model, new Client(server.port()));
        }
    }

    /**
     * A light request sent after the heavy one is answered, and because the model thread serves submissions in order,
     * by then the heavy one's fate is settled: only its first batch (32 passes) ran, not its 55.
     */
    private static void assertNextRequestIsServedAfterTheDroppedWork(
            UnmaskServer server, GatedScorer model, Client client) {
        HttpResponse<String> light = client.post("/api/fill-mask", Client.body("inputs", "the woman is a [MASK] ."));
        assertEquals(200, light.statusCode(), light.body());
        assertEquals(
                32 + 1,
                model.forwardPasses(),
                "the heavy request's other " + (HEAVY_PASSES - 32) + " passes were skipped");
        assertEquals(1, server.worker().stats().cancelled());
    }
}
