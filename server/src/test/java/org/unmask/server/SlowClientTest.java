package org.unmask.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.server.testing.FakeMaskedLm;

/**
 * Slow or greedy clients cannot hold the server (issue 14, defect 3: 20 sockets trickling headers made every other
 * request wait about 29 s, each holding one of the handler threads up to the 30 s request timeout).
 */
@Timeout(60)
class SlowClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path runs;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private HttpResponse<String> info(UnmaskServer server) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/info"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a connection that sends the start of a request and then nothing. */
    private static Socket partialRequest(InetAddress from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.getOutputStream()
                .write("POST /api/fill-mask HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** Reads the gate's answer on a raw connection: its status and JSON error. */
    private static JsonNode errorOf(Socket s, int expectedStatus) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 " + expectedStatus + " "), answer);
        assertTrue(answer.contains("\r\nContent-Security-Policy: "), answer);
        return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error");
    }

    @Test
    void normalRequestIsServedWithinASecondWhileTwentySocketsTrickleHeaders() throws Exception {
        // 8 handler threads, as ServerOptions.local: fewer than the slow sockets
        try (UnmaskServer server =
                UnmaskServer.start(FakeMaskedLm.create(0, 0), List.of(), ServerOptions.local(runs))) {
            List<Socket> slow = new ArrayList<>();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                for (int i = 0; i < 20; i++) {
                    slow.add(partialRequest(InetAddress.getLoopbackAddress(), server.port()));
                }
                trickle.scheduleAtFixedRate(
                        () -> {
                            for (Socket s : slow) {
                                try {
                                    s.getOutputStream().write('X'); // one more byte of a header name, forever
                                } catch (IOException e) {
                                    // cut off by the server: fine
                                }
                            }
                        },
                        0,
                        100,
                        TimeUnit.MILLISECONDS);
                Thread.sleep(300); // the attack is under way
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = info(server);
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    assertEquals(200, r.statusCode(), r.body());
                    assertTrue(millis < 1000, "a normal request took " + millis + " ms during the attack");
                }
            } finally {
                trickle.shutdownNow();
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void headersThatDoNotArriveInTimeAreCutOffWith408() throws Exception {
        ServerOptions options = ServerOptions.local(runs).withLimits(ServerLimits.DEFAULT.withReadTimeouts(300, 300));
        try (UnmaskServer server = UnmaskServer.start(FakeMaskedLm.create(0, 0), List.of(), options);
                Socket s = partialRequest(InetAddress.getLoopbackAddress(), server.port())) {
            JsonNode err = errorOf(s, 408);
            assertEquals("request_timeout", err.get("code").asText());
            assertTrue(err.get("message").asText().contains("300 ms"), err.toString());
        }
    }

    @Test
    void bodyThatDoesNotArriveInTimeIsCutOffWith408() throws Exception {
        ServerOptions options = ServerOptions.local(runs).withLimits(ServerLimits.DEFAULT.withReadTimeouts(5000, 300));
        try (UnmaskServer server = UnmaskServer.start(FakeMaskedLm.create(0, 0), List.of(), options);
                Socket s = partialRequest(InetAddress.getLoopbackAddress(), server.port())) {
            s.getOutputStream()
                    .write("Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"inp"
                            .getBytes(StandardCharsets.ISO_8859_1));
            JsonNode err = errorOf(s, 408);
            assertTrue(err.get("message").asText().contains("body"), err.toString());
        }
    }

    @Test
    void connectionsBeyondThePerClientCapAreRefusedWith429WhileOtherClientsAreServed() throws Exception {
        ServerOptions options = ServerOptions.local(runs).withLimits(ServerLimits.DEFAULT.withConnections(512, 3));
        try (UnmaskServer server = UnmaskServer.start(FakeMaskedLm.create(0, 0), List.of(), options)) {
            InetAddress local = InetAddress.getLoopbackAddress();
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(partialRequest(local, server.port()));
                }
                try (Socket fourth = partialRequest(local, server.port())) {
                    JsonNode err = errorOf(fourth, 429);
                    assertEquals("too_many_connections", err.get("code").asText());
                    assertTrue(err.get("message").asText().contains("3 connections"), err.toString());
                }
                InetAddress other = InetAddress.getByName("127.0.0.2");
                Socket s;
                try {
                    s = new Socket();
                    s.bind(new InetSocketAddress(other, 0));
                } catch (IOException e) {
                    Assumptions.abort("this machine cannot use 127.0.0.2 as a source address");
                    return;
                }
                try (s) {
                    s.connect(new InetSocketAddress(local, server.port()), 5000);
                    s.getOutputStream()
                            .write("GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    s.setSoTimeout(10_000);
                    String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void chunkedBodiesAndOversizedHeadersAreRefusedByTheGate() throws Exception {
        try (UnmaskServer server =
                UnmaskServer.start(FakeMaskedLm.create(0, 0), List.of(), ServerOptions.local(runs))) {
            try (Socket s = partialRequest(InetAddress.getLoopbackAddress(), server.port())) {
                s.getOutputStream()
                        .write("Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                assertEquals("length_required", errorOf(s, 411).get("code").asText());
            }
            try (Socket s = partialRequest(InetAddress.getLoopbackAddress(), server.port())) {
                s.getOutputStream()
                        .write(("X-Big: " + "a".repeat(20_000) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                assertEquals("headers_too_large", errorOf(s, 431).get("code").asText());
            }
        }
    }
}
