package org.unmask.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unmask.core.testing.Mutations;
import org.unmask.server.model.BatchingOptions;
import org.unmask.server.testing.FakeMaskedLm;

/**
 * Seeded mutations of valid request bodies for every endpoint that reads JSON (issue 14, "fuzz every parser"): each
 * answer is a success or a 4xx with a JSON error, never a 500 and never a hang. The scripted fake model answers, so
 * the bodies that stay valid run through the whole path cheaply.
 */
@Timeout(120)
class JsonBodyFuzzTest {
    private static final int MUTATIONS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path runs;

    static UnmaskServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        // no job types: a mutated job body that stays valid is refused as unknown instead of starting an audit
        // and no batching wait: requests come one at a time, so waiting for company would only slow the test
        server = UnmaskServer.start(
                FakeMaskedLm.create(0, 0),
                List.of(),
                ServerOptions.local(runs).withBatching(BatchingOptions.DEFAULT.withEnabled(false)));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Per endpoint: its path, a mutation seed, and valid bodies to mutate (spliced with each other too). */
    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of(
                        "/api/fill-mask",
                        14L,
                        List.of(
                                "{\"inputs\": [\"the man worked as a [MASK].\", \"she is a [MASK]\"], \"top_k\": 3, "
                                        + "\"targets\": [\"nurse\", \"firefighter\"]}",
                                "{\"inputs\": \"[MASK] said the boy .\", \"top_k\": 0, \"targets\": \"paralegal\"}")),
                Arguments.of(
                        "/api/explore",
                        16L,
                        List.of("{\"template\": \"The [man|woman] worked as a [MASK].\", \"top_k\": 5}")),
                Arguments.of("/api/association", 17L, List.of("{\"template\": \"the [he|she|they] is a [MASK] .\"}")),
                Arguments.of(
                        "/api/jobs",
                        18L,
                        List.of("{\"kind\": \"audit\", \"name\": \"occupations\", \"model\": \"fake-bert\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void mutatedBodiesGetAnAnswerOrA4xxJsonErrorNeverA500(String path, long seed, List<String> valid) {
        Mutations.ofText(seed, valid.toArray(new String[0])).forEach(MUTATIONS, body -> {
            HttpResponse<String> r = post(path, body);
            int status = r.statusCode();
            assertTrue(status < 500, "status " + status + ": " + r.body());
            if (status >= 400) {
                JsonNode err = parse(r.body()).get("error");
                assertEquals(status, err.get("status").asInt(), r.body());
                assertTrue(
                        !err.get("code").asText().isEmpty()
                                && !err.get("message").asText().isEmpty(),
                        r.body());
            }
        });
    }

    private static HttpResponse<String> post(String path, byte[] body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)) // a hang bound: every answer takes milliseconds
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("error body is not JSON: " + body, e);
        }
    }
}
