package org.unmask.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unmask.server.model.Cancellation;

/**
 * Dispatches requests by method and path: unknown paths get 404, known paths with another method 405
 * (with {@code Allow}), and paths under {@code /api/} need the bearer token when one is configured.
 * Handler failures become JSON errors; unexpected exceptions a generic 500 without details.
 */
public final class Router implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(Router.class.getName());

    /** One route's work; {@code params} are the decoded groups of the route's path pattern. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange ex, List<String> params) throws ApiException, IOException;
    }

    private record Route(String method, Pattern path, Handler handler) {}

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    /**
     * Checks that a request came through the {@link ConnectionGate}, from its {@link ConnectionGate#CONNECTION_HEADER}
     * value (null when absent), and finds whether its client has gone; empty when it did not come through the gate.
     */
    @FunctionalInterface
    public interface Connections {
        Optional<Cancellation> verify(String headerValue);
    }

    private final List<Route> routes = new ArrayList<>();
    private final Optional<byte[]> token;
    private final boolean loopbackOnly;
    private final Connections connections;

    /**
     * @param token the bearer token {@code /api/} requires, if any
     * @param loopbackOnly whether the server listens on loopback only; then requests must name a loopback
     *     host, so a web page whose domain was re-bound to 127.0.0.1 (DNS rebinding) cannot use the API
     */
    public Router(Optional<String> token, boolean loopbackOnly) {
        this(token, loopbackOnly, header -> Optional.of(Cancellation.NONE));
    }

    /**
     * As above, but answering only requests that {@code connections} verifies (403 otherwise), and telling handlers
     * (through {@link Exchanges#cancellation}) when their client goes.
     */
    public Router(Optional<String> token, boolean loopbackOnly, Connections connections) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.loopbackOnly = loopbackOnly;
        this.connections = connections;
    }

    /** Adds a route; {@code pathRegex} is matched against the whole raw (still percent-encoded) path. */
    public Router add(String method, String pathRegex, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            Cancellation cancel = connections
                    .verify(ex.getRequestHeaders().getFirst(ConnectionGate.CONNECTION_HEADER))
                    .orElseThrow(() -> new ApiException(
                            403,
                            "not_through_gate",
                            "this port is internal to the " + "server",
                            "connect to the server's public port"));
            ex.setAttribute(Exchanges.CANCELLATION, cancel);
            dispatch(ex);
        } catch (ApiException e) {
            Exchanges.sendError(ex, e);
        } catch (IOException e) {
            ex.close(); // the client went away; nothing to answer
        } catch (RuntimeException e) {
            LOG.log(
                    Level.SEVERE,
                    "internal error on " + ex.getRequestMethod() + " "
                            + ex.getRequestURI().getRawPath(),
                    e);
            Exchanges.sendError(ex, new ApiException(500, "internal_error", "internal server error", ""));
        }
    }

    private void dispatch(HttpExchange ex) throws ApiException, IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (loopbackOnly
                && !LOOPBACK_NAMES.contains(hostName(ex.getRequestHeaders().getFirst("Host")))) {
            throw new ApiException(
                    421,
                    "wrong_host",
                    "this server answers only requests addressed to localhost",
                    "open http://127.0.0.1:<port>/");
        }
        if (path.startsWith("/api/")) {
            authorize(ex);
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Matcher m = r.path.matcher(path);
            if (!m.matches()) {
                continue;
            }
            if (r.method.equals(method) || ("HEAD".equals(method) && "GET".equals(r.method))) {
                r.handler.handle(ex, groups(m));
                return;
            }
            allowed.add(r.method);
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("no such page or endpoint: " + truncate(path));
        }
        ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw new ApiException(
                405,
                "method_not_allowed",
                method + " is not allowed on " + truncate(path),
                "use " + String.join(" or ", allowed));
    }

    /** The host part of a Host header, lower-cased, without the port. */
    static String hostName(String host) {
        if (host == null) {
            return "";
        }
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private void authorize(HttpExchange ex) throws ApiException {
        if (token.isEmpty()) {
            return;
        }
        String h = ex.getRequestHeaders().getFirst("Authorization");
        String prefix = "Bearer ";
        byte[] given = h != null && h.startsWith(prefix)
                ? h.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(given, token.get())) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new ApiException(
                    401,
                    "unauthorized",
                    "missing or wrong bearer token",
                    "send Authorization: Bearer <token> as given to unmask serve --token");
        }
    }

    private static List<String> groups(Matcher m) throws ApiException {
        List<String> out = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
            try {
                out.add(URLDecoder.decode(m.group(g).replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad_path", "malformed percent-encoding in the path", "");
            }
        }
        return out;
    }

    private static String truncate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
