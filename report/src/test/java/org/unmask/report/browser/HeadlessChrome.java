package org.unmask.report.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A tiny Chrome DevTools Protocol client on the JDK alone ({@link java.net.http.WebSocket}), for tests: launches
 * headless Chromium with a throw-away profile, opens pages, collects console errors, uncaught exceptions and failed
 * requests (Runtime, Log and Network domains), evaluates JavaScript, types, clicks and takes screenshots.
 *
 * <pre>{@code
 * try (HeadlessChrome chrome = HeadlessChrome.launch(); HeadlessChrome.Page page = chrome.open(url)) {
 *     assertEquals(List.of(), page.problems());
 *     page.type("input.filter", "nurse");
 * }
 * }</pre>
 */
public final class HeadlessChrome implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> CANDIDATES = List.of(
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
            "/usr/bin/google-chrome-stable");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();

    private HeadlessChrome(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The Chromium binary: {@code $UNMASK_CHROMIUM}, else the usual Debian/Ubuntu paths. */
    public static Optional<Path> findBinary() {
        String env = System.getenv("UNMASK_CHROMIUM");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(Files::isExecutable);
        }
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Starts headless Chromium and connects to it. */
    public static HeadlessChrome launch() throws IOException {
        Path binary = findBinary()
                .orElseThrow(() -> new IOException(
                        "chromium not found; install it (apt-get install -y chromium) or set UNMASK_CHROMIUM"));
        Path profile = Files.createTempDirectory("unmask-chrome");
        Process p = new ProcessBuilder(
                        binary.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile,
                        "--remote-debugging-port=0",
                        "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chrome.log").toFile())
                .start();
        try {
            String endpoint = waitForEndpoint(profile, p);
            HeadlessChrome[] self = new HeadlessChrome[1];
            Listener listener = new Listener(msg -> self[0].dispatch(msg));
            WebSocket ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .buildAsync(URI.create(endpoint), listener)
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new HeadlessChrome(p, profile, ws);
            return self[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while starting chromium", e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            p.destroyForcibly();
            throw new IOException(
                    "cannot connect to chromium: " + e.getMessage() + "; log: "
                            + readQuietly(profile.resolve("chrome.log")),
                    e);
        }
    }

    private static String waitForEndpoint(Path profile, Process p) throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("chromium exited with " + p.exitValue());
            }
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= 2) {
                    return "ws://127.0.0.1:" + lines.get(0).strip()
                            + lines.get(1).strip();
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("chromium did not write DevToolsActivePort within " + TIMEOUT.toSeconds() + " s");
    }

    private static String readQuietly(Path p) {
        try {
            String s = Files.readString(p);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void dispatch(String message) {
        try {
            JsonNode msg = JSON.readTree(message);
            if (msg.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                if (f != null) {
                    f.complete(msg);
                }
            } else {
                for (Consumer<JsonNode> l : listeners) {
                    l.accept(msg);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("bad CDP message", e);
        }
    }

    /** Sends a command (to a page session when {@code sessionId} is not null) and waits for its result. */
    JsonNode send(String sessionId, String method, ObjectNode params) throws IOException {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params == null ? JSON.createObjectNode() : params);
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true);
        try {
            JsonNode reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IOException(method + " failed: " + reply.get("error"));
            }
            return reply.get("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + method, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no answer to " + method + " within " + TIMEOUT.toSeconds() + " s", e);
        }
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Opens a new tab, enables the Runtime, Log, Network and Page domains, loads {@code url} and waits for load. */
    public Page open(String url) throws IOException {
        String target = send(null, "Target.createTarget", params().put("url", "about:blank"))
                .get("targetId")
                .asText();
        String session = send(
                        null,
                        "Target.attachToTarget",
                        params().put("targetId", target).put("flatten", true))
                .get("sessionId")
                .asText();
        Page page = new Page(target, session);
        listeners.add(page::onEvent);
        for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
            send(session, domain + ".enable", null);
        }
        page.navigate(url);
        return page;
    }

    @Override
    public void close() {
        try {
            send(null, "Browser.close", null);
        } catch (IOException e) {
            // the browser may already be gone; the process is destroyed below either way
        }
        socket.abort();
        // Chromium's helper processes (network service, GPU, renderers) can outlive the main one and keep writing
        // into the profile; end them too before the profile is removed
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        helpers.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle h : helpers) {
                h.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (ExecutionException | TimeoutException e) {
            helpers.forEach(ProcessHandle::destroyForcibly);
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // a leftover temp profile is harmless (a file may vanish while the walk lists it)
        }
    }

    /** One tab, with what went wrong in it. */
    public final class Page implements AutoCloseable {
        private final String targetId;
        private final String session;
        private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
        private final List<String> exceptions = new CopyOnWriteArrayList<>();
        private final List<String> failedRequests = new CopyOnWriteArrayList<>();
        private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

        private Page(String targetId, String session) {
            this.targetId = targetId;
            this.session = session;
        }

        private void onEvent(JsonNode msg) {
            if (!session.equals(msg.path("sessionId").asText())) {
                return;
            }
            String method = msg.path("method").asText();
            JsonNode p = msg.path("params");
            switch (method) {
                case "Runtime.consoleAPICalled" -> {
                    if (p.path("type").asText().equals("error")
                            || p.path("type").asText().equals("assert")) {
                        consoleErrors.add("console." + p.path("type").asText() + ": " + p.path("args"));
                    }
                }
                case "Runtime.exceptionThrown" ->
                    exceptions.add(p.path("exceptionDetails").toString());
                case "Log.entryAdded" -> {
                    if (p.path("entry").path("level").asText().equals("error")) {
                        consoleErrors.add(p.path("entry").path("source").asText() + ": "
                                + p.path("entry").path("text").asText() + " "
                                + p.path("entry").path("url").asText());
                    }
                }
                case "Network.loadingFailed" ->
                    failedRequests.add(
                            p.path("errorText").asText() + " " + p.path("type").asText() + " (request "
                                    + p.path("requestId").asText() + ")");
                case "Network.responseReceived" -> {
                    int status = p.path("response").path("status").asInt();
                    if (status >= 400) {
                        failedRequests.add(
                                status + " " + p.path("response").path("url").asText());
                    }
                }
                case "Page.loadEventFired" -> loaded.complete(null);
                default -> {
                    // other events are not needed by tests
                }
            }
        }

        /** Loads a URL and waits for its load event. */
        public void navigate(String url) throws IOException {
            loaded = new CompletableFuture<>();
            JsonNode r = send(session, "Page.navigate", params().put("url", url));
            if (r.has("errorText") && !r.get("errorText").asText().isEmpty()) {
                failedRequests.add(r.get("errorText").asText() + " " + url);
                return;
            }
            try {
                loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted loading " + url, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(url + " did not finish loading within " + TIMEOUT.toSeconds() + " s", e);
            }
        }

        /** Evaluates an expression (promises awaited) and returns its JSON value ({@code null} node if none). */
        public JsonNode evaluate(String expression) throws IOException {
            JsonNode r = send(
                    session,
                    "Runtime.evaluate",
                    params().put("expression", expression)
                            .put("returnByValue", true)
                            .put("awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new IOException("script failed: " + r.get("exceptionDetails"));
            }
            return r.path("result").path("value");
        }

        /** Focuses the first element matching {@code selector} and types {@code text} into it (fires input events). */
        public void type(String selector, String text) throws IOException {
            focus(selector);
            send(session, "Input.insertText", params().put("text", text));
        }

        /** Clicks the centre of the first element matching {@code selector}. */
        public void click(String selector) throws IOException {
            JsonNode box = evaluate("(function(){var e=document.querySelector(" + JSON.writeValueAsString(selector)
                    + ");if(!e)return null;e.scrollIntoView();var r=e.getBoundingClientRect();"
                    + "return {x:r.left+r.width/2,y:r.top+r.height/2};})()");
            if (box.isNull() || box.isMissingNode()) {
                throw new IOException("no element matches " + selector);
            }
            for (String type : List.of("mousePressed", "mouseReleased")) {
                send(
                        session,
                        "Input.dispatchMouseEvent",
                        params().put("type", type)
                                .put("x", box.get("x").asDouble())
                                .put("y", box.get("y").asDouble())
                                .put("button", "left")
                                .put("clickCount", 1));
            }
        }

        private void focus(String selector) throws IOException {
            JsonNode ok = evaluate("(function(){var e=document.querySelector(" + JSON.writeValueAsString(selector)
                    + ");if(!e)return false;e.focus();return true;})()");
            if (!ok.asBoolean()) {
                throw new IOException("no element matches " + selector);
            }
        }

        /** A PNG screenshot of the viewport. */
        public byte[] screenshot() throws IOException {
            JsonNode r = send(session, "Page.captureScreenshot", params().put("format", "png"));
            return Base64.getDecoder().decode(r.get("data").asText());
        }

        public List<String> consoleErrors() {
            return List.copyOf(consoleErrors);
        }

        public List<String> exceptions() {
            return List.copyOf(exceptions);
        }

        public List<String> failedRequests() {
            return List.copyOf(failedRequests);
        }

        /** Everything that went wrong so far: console errors, exceptions and failed requests. */
        public List<String> problems() {
            List<String> all = new ArrayList<>(consoleErrors);
            all.addAll(exceptions);
            all.addAll(failedRequests);
            return all;
        }

        @Override
        public void close() {
            try {
                send(null, "Target.closeTarget", params().put("targetId", targetId));
            } catch (IOException e) {
                // closing the browser closes the tab anyway
            }
        }
    }

    /** Reassembles fragmented WebSocket text messages. */
    private static final class Listener implements WebSocket.Listener {
        private final Consumer<String> sink;
        private final StringBuilder buffer = new StringBuilder();

        Listener(Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String msg = buffer.toString();
                buffer.setLength(0);
                sink.accept(msg);
            }
            ws.request(1);
            return null;
        }
    }
}
