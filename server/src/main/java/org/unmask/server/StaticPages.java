package org.unmask.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.unmask.server.http.ApiException;
import org.unmask.server.http.Exchanges;
import org.unmask.server.http.Router;

/**
 * The explorer page and its assets, read once from the classpath. Only the fixed names below are
 * served; a request path never selects a resource by itself.
 */
final class StaticPages {
    private static final String BASE = "/org/unmask/server/static/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "explorer.css", "text/css; charset=utf-8",
            "explorer.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> content;

    StaticPages() {
        content = Map.of(
                "index.html", load("index.html"),
                "explorer.css", load("explorer.css"),
                "explorer.js", load("explorer.js"));
    }

    void register(Router router) {
        router.add("GET", "/", (ex, p) -> Exchanges.send(ex, 200, FILES.get("index.html"), content.get("index.html")));
        router.add("GET", "/static/(explorer\\.css|explorer\\.js)", (ex, p) -> {
            String name = p.get(0);
            byte[] body = content.get(name);
            if (body == null) {
                throw ApiException.notFound("no such file");
            }
            Exchanges.send(ex, 200, FILES.get(name), body);
        });
    }

    private static byte[] load(String name) {
        try (InputStream in = StaticPages.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("explorer resource " + name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
