package org.unmask.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.unmask.server.model.Cancellation;

/**
 * Reads bounded request bodies and writes responses with the security headers every response carries
 * (a strict Content-Security-Policy, {@code nosniff}, no framing, no referrer).
 */
public final class Exchanges {
    /** Scripts, styles and images only from this origin; nothing inline, no plugins, no framing. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static final ObjectMapper JSON = new ObjectMapper();

    private static final long DRAIN_LIMIT = 1 << 20;

    /** The exchange attribute under which {@link Router} leaves the request's {@link Cancellation}. */
    static final String CANCELLATION = "org.unmask.server.cancellation";

    private Exchanges() {}

    /** Whether the client of {@code ex} has gone, as the connection gate sees it; never when unknown. */
    public static Cancellation cancellation(HttpExchange ex) {
        return ex.getAttribute(CANCELLATION) instanceof Cancellation c ? c : Cancellation.NONE;
    }

    /** Reads the body, refusing (413) as soon as it passes {@code maxBytes}, whatever Content-Length says. */
    public static byte[] readBody(HttpExchange ex, int maxBytes) throws ApiException, IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBytes) {
                    drain(ex);
                    throw tooLarge(maxBytes);
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad_content_length", "Content-Length is not a number", "");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) {
                    drain(ex);
                    throw tooLarge(maxBytes);
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** Parses a JSON object body. */
    public static ObjectNode readJsonObject(HttpExchange ex, int maxBytes) throws ApiException, IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(
                    415, "unsupported_media_type", "the body must be JSON", "send Content-Type: application/json");
        }
        byte[] body = readBody(ex, maxBytes);
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("bad_json", "the body is not valid JSON", "send a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("bad_json", "the body must be a JSON object", "send {\"...\": ...}");
        }
        return (ObjectNode) node;
    }

    public static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
    }

    public static void sendError(HttpExchange ex, ApiException e) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("status", e.status());
        err.put("code", e.code());
        err.put("message", e.getMessage());
        if (!e.hint().isEmpty()) {
            err.put("hint", e.hint());
        }
        sendJson(ex, e.status(), root);
    }

    public static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        send(ex, status, contentType, body, CSP);
    }

    /** Sends a response under a specific Content-Security-Policy (e.g. {@link InlinePolicy} for reports). */
    public static void send(HttpExchange ex, int status, String contentType, byte[] body, String csp)
            throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("Content-Security-Policy", csp);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
        ex.close();
    }

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Reads and discards up to {@link #DRAIN_LIMIT} more bytes, so that a client still sending gets the
     * 413 instead of a connection reset; beyond that the connection is simply closed.
     */
    private static void drain(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Connection", "close");
        byte[] buf = new byte[8192];
        long left = DRAIN_LIMIT;
        InputStream in = ex.getRequestBody();
        int n;
        while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
            left -= n;
        }
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(
                413,
                "body_too_large",
                "request body is larger than " + maxBytes + " bytes",
                "send a smaller request (fewer or shorter texts)");
    }
}
