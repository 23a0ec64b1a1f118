package org.unmask.server.http;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.unmask.server.model.Cancellation;

/**
 * The server's public socket, in front of the JDK's {@code HttpServer} (which listens on an ephemeral loopback
 * port behind it). The JDK server hands a connection to a handler thread as soon as its first byte arrives and then
 * reads the headers with blocking reads, so a few clients that trickle their headers ("slowloris") hold every
 * handler thread; it has no per-connection header timeout and no per-address limit. The gate supplies both:
 *
 * <ul>
 *   <li>at accept, it refuses a connection beyond {@link Settings#maxConnections()} in all (503) or
 *       {@link Settings#maxPerClient()} from one address (429), without reading from it;</li>
 *   <li>on its own thread per connection, it reads the request line and headers within
 *       {@link Settings#headerTimeoutMillis()} and the body (which must have a {@code Content-Length}) within
 *       {@link Settings#bodyTimeoutMillis()}, refusing slow, oversized or chunked requests with a JSON error;</li>
 *   <li>only then it forwards the complete request to the JDK server, with {@code Connection: close} (so every
 *       request is checked here; no keep-alive) and the connection's id in {@link #CONNECTION_HEADER}, and copies
 *       the answer back. While it waits for the answer it watches the client: when the client closes,
 *       {@link #cancellation} for that id turns true and the handler drops the model work;</li>
 *   <li>a watchdog closes any connection still open after {@link Settings#lifetimeMillis()} (a client that does not
 *       read its answer).</li>
 * </ul>
 *
 * <p>So a handler thread only ever sees a complete request. Written on the JDK alone, to keep the server free of
 * third-party HTTP stacks.
 */
public final class ConnectionGate implements Closeable {
    /** The request header carrying the gate's connection id to the handlers; a client's own is removed. */
    public static final String CONNECTION_HEADER = "X-Unmask-Connection";

    private static final Logger LOG = Logger.getLogger(ConnectionGate.class.getName());
    private static final int POLL_MILLIS = 100;
    private static final int REFUSAL_LINGER_MILLIS = 1000;
    private static final long DRAIN_LIMIT = 1 << 20;
    private static final List<String> HOP_BY_HOP = List.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "expect",
            "upgrade",
            "te",
            CONNECTION_HEADER.toLowerCase(Locale.ROOT));

    /**
     * What the gate allows.
     *
     * @param headerTimeoutMillis time from accept to the end of the headers
     * @param bodyTimeoutMillis time from the end of the headers to the end of the body
     * @param maxHeaderBytes request line and headers
     * @param maxBodyBytes body, as declared by {@code Content-Length}
     * @param maxConnections connections open at once, in all
     * @param maxPerClient connections open at once from one address
     * @param lifetimeMillis the longest a connection may stay open, answer included
     */
    public record Settings(
            int headerTimeoutMillis,
            int bodyTimeoutMillis,
            int maxHeaderBytes,
            int maxBodyBytes,
            int maxConnections,
            int maxPerClient,
            long lifetimeMillis) {}

    /** A request the gate answers itself. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;
        final String hint;

        Refusal(int status, String code, String message, String hint) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.hint = hint;
        }
    }

    /** One client connection while the gate serves it. */
    private static final class Conn {
        final Socket client;
        final InetAddress address;
        volatile Socket backend;
        volatile boolean clientGone;

        Conn(Socket client, InetAddress address) {
            this.client = client;
            this.address = address;
        }

        void closeAll() {
            closeQuietly(client);
            closeQuietly(backend);
        }
    }

    private final ServerSocket server;
    private final Settings settings;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService watchdog;
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Long, Conn> connections = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final String secret = newSecret();
    private volatile InetSocketAddress backend;
    private volatile boolean closed;
    private Thread acceptor;

    private ConnectionGate(ServerSocket server, Settings settings) {
        this.server = server;
        this.settings = settings;
        // one thread per open connection at most; the accept loop keeps the count within maxConnections
        this.pool = new ThreadPoolExecutor(
                settings.maxConnections(),
                settings.maxConnections(),
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                daemon("unmask-conn"));
        pool.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1, daemon("unmask-conn-watchdog"));
        w.setRemoveOnCancelPolicy(true);
        this.watchdog = w;
    }

    /** Binds the public address (port 0 for an ephemeral one); nothing is accepted before {@link #start}. */
    public static ConnectionGate bind(InetSocketAddress address, int backlog, Settings settings) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.bind(address, backlog);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new ConnectionGate(s, settings);
    }

    /** Starts accepting; complete requests go to {@code backend}. */
    public void start(InetSocketAddress backendAddress) {
        this.backend = backendAddress;
        acceptor = new Thread(this::acceptLoop, "unmask-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The public port. */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Verifies a {@link #CONNECTION_HEADER} value (null when absent) and tells whether that connection's client has
     * gone; empty when the request did not come through this gate (someone connected to the internal port).
     */
    public Optional<Cancellation> verify(String headerValue) {
        if (headerValue == null) {
            return Optional.empty();
        }
        String[] parts = headerValue.trim().split(" ", 2);
        if (parts.length != 2
                || !MessageDigest.isEqual(
                        parts[1].getBytes(StandardCharsets.ISO_8859_1), secret.getBytes(StandardCharsets.ISO_8859_1))) {
            return Optional.empty();
        }
        Conn c;
        try {
            c = connections.get(Long.parseLong(parts[0]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(c == null ? () -> true : () -> c.clientGone);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "accept failed", e);
                    pause(); // e.g. out of file descriptors: do not spin while connections end
                }
                continue;
            }
            admit(s);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void admit(Socket s) {
        InetAddress address = s.getInetAddress();
        if (open.incrementAndGet() > settings.maxConnections()) {
            open.decrementAndGet();
            refuseAtAccept(
                    s,
                    new Refusal(
                            503,
                            "too_many_connections",
                            "the server has " + settings.maxConnections() + " connections open, its limit",
                            "retry in a second"));
            return;
        }
        int mine = perClient.merge(address, 1, Integer::sum);
        if (mine > settings.maxPerClient()) {
            release(address);
            refuseAtAccept(
                    s,
                    new Refusal(
                            429,
                            "too_many_connections",
                            "this client has " + settings.maxPerClient()
                                    + " connections open, the limit per client address",
                            "wait for your other requests to finish"));
            return;
        }
        long id = ids.incrementAndGet();
        Conn conn = new Conn(s, address);
        connections.put(id, conn);
        try {
            pool.execute(() -> serve(id, conn));
        } catch (RuntimeException e) { // rejected: the gate is closing
            connections.remove(id);
            release(address);
            closeQuietly(s);
        }
    }

    private void release(InetAddress address) {
        perClient.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    /**
     * Answers without reading the request: the answer fits the socket buffer, so this never blocks the accept
     * loop; the socket is closed a little later so that the client reads the answer rather than a reset.
     */
    private void refuseAtAccept(Socket s, Refusal r) {
        try {
            s.getOutputStream().write(errorResponse(r));
            s.shutdownOutput();
            watchdog.schedule(() -> closeQuietly(s), REFUSAL_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
        }
    }

    private void serve(long id, Conn conn) {
        Socket client = conn.client;
        ScheduledFuture<?> kill = watchdog.schedule(conn::closeAll, settings.lifetimeMillis(), TimeUnit.MILLISECONDS);
        try {
            client.setTcpNoDelay(true);
            OutputStream out = client.getOutputStream();
            Request request;
            try {
                request = readRequest(client);
            } catch (Refusal r) {
                out.write(errorResponse(r));
                out.flush();
                client.shutdownOutput();
                drain(client);
                return;
            }
            try (Socket b = new Socket()) {
                conn.backend = b;
                b.setTcpNoDelay(true);
                b.connect(backend, settings.headerTimeoutMillis());
                byte[] head = request.head(id, secret);
                byte[] whole = Arrays.copyOf(head, head.length + request.body.length);
                System.arraycopy(request.body, 0, whole, head.length, request.body.length);
                b.getOutputStream().write(whole); // one write: no Nagle wait between head and body
                relayAnswer(conn, b);
            }
        } catch (IOException e) {
            // the client or the handler closed the connection; nothing more to do for it
        } finally {
            kill.cancel(false);
            conn.clientGone = true; // from here on nobody reads an answer
            connections.remove(id);
            closeQuietly(client);
            release(conn.address);
        }
    }

    /** A complete request: its head lines (request line first) and its body. */
    private record Request(List<String> lines, byte[] body) {
        /**
         * The head as forwarded: hop-by-hop headers replaced by {@code Connection: close}, and the connection's id
         * with the gate's secret (which proves to the handlers that the request came through the gate).
         */
        byte[] head(long id, String secret) {
            StringBuilder b = new StringBuilder();
            for (String l : lines) {
                b.append(l).append("\r\n");
            }
            b.append("Connection: close\r\n")
                    .append(CONNECTION_HEADER)
                    .append(": ")
                    .append(id)
                    .append(' ')
                    .append(secret)
                    .append("\r\n\r\n");
            return b.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private Request readRequest(Socket client) throws IOException, Refusal {
        long headDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.headerTimeoutMillis());
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int end = -1;
        while (end < 0) {
            int n = readBefore(client, buf, 0, buf.length, headDeadline, "headers", settings.headerTimeoutMillis());
            if (n < 0) {
                throw new IOException("client closed before its headers ended");
            }
            head.write(buf, 0, n);
            end = headEnd(head.toByteArray());
            if (end < 0 && head.size() > settings.maxHeaderBytes()) {
                throw new Refusal(
                        431,
                        "headers_too_large",
                        "the request line and headers are larger than " + settings.maxHeaderBytes() + " bytes",
                        "send fewer or shorter headers");
            }
        }
        byte[] all = head.toByteArray();
        if (end > settings.maxHeaderBytes()) {
            throw new Refusal(
                    431,
                    "headers_too_large",
                    "the request line and headers are larger than " + settings.maxHeaderBytes() + " bytes",
                    "send fewer or shorter headers");
        }
        List<String> lines = new ArrayList<>();
        long length = 0;
        boolean expectContinue = false;
        for (String line : new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = lines.isEmpty() || colon < 0
                    ? ""
                    : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding")) {
                throw new Refusal(
                        411,
                        "length_required",
                        "chunked request bodies are not accepted",
                        "send the body with a Content-Length header");
            }
            if (name.equals("content-length")) {
                length = contentLength(value, length);
            }
            if (name.equals("expect")) {
                expectContinue = value.equalsIgnoreCase("100-continue");
            }
            if (!HOP_BY_HOP.contains(name)) {
                lines.add(line);
            }
        }
        if (length > settings.maxBodyBytes()) {
            throw new Refusal(
                    413,
                    "body_too_large",
                    "request body is larger than " + settings.maxBodyBytes() + " bytes",
                    "send a smaller request (fewer or shorter texts)");
        }
        if (expectContinue) {
            OutputStream out = client.getOutputStream();
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        byte[] body = new byte[(int) length];
        int have = Math.min(body.length, all.length - end);
        System.arraycopy(all, end, body, 0, have);
        long bodyDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.bodyTimeoutMillis());
        while (have < body.length) {
            int n = readBefore(
                    client, body, have, body.length - have, bodyDeadline, "body", settings.bodyTimeoutMillis());
            if (n < 0) {
                throw new IOException("client closed before its body ended");
            }
            have += n;
        }
        return new Request(lines, body);
    }

    private static long contentLength(String value, long earlier) throws Refusal {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 0 || (earlier > 0 && v != earlier)) {
            throw new Refusal(
                    400,
                    "bad_content_length",
                    "Content-Length is not one non-negative number",
                    "send one Content-Length with the body's size in bytes");
        }
        return v;
    }

    /**
     * Reads and discards what the client still sends (at most {@link #DRAIN_LIMIT} bytes, within the body timeout),
     * so that it reads the refusal rather than a connection reset.
     */
    private void drain(Socket client) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.bodyTimeoutMillis());
        byte[] buf = new byte[8192];
        long left = DRAIN_LIMIT;
        try {
            while (left > 0) {
                int n = readBefore(client, buf, 0, buf.length, deadline, "body", settings.bodyTimeoutMillis());
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException | Refusal e) {
            // the client is gone or too slow: close anyway
        }
    }

    /** Index just past the blank line that ends the head, or -1. */
    private static int headEnd(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 3 < b.length && b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** One read from the client that must complete before {@code deadline} (a total, not per-read, limit). */
    private static int readBefore(Socket s, byte[] buf, int off, int len, long deadline, String what, int limitMillis)
            throws IOException, Refusal {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw timeout(what, limitMillis);
        }
        s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        try {
            return s.getInputStream().read(buf, off, len);
        } catch (SocketTimeoutException e) {
            throw timeout(what, limitMillis);
        }
    }

    private static Refusal timeout(String what, int limitMillis) {
        return new Refusal(
                408,
                "request_timeout",
                "the request " + what + " did not arrive within " + limitMillis + " ms",
                "send the whole request at once");
    }

    /**
     * Copies the handler's answer to the client, its head with {@code Connection: close} (the connection ends with
     * this answer, and a client must not reuse it). While no answer byte is there, checks every
     * {@link #POLL_MILLIS} whether the client has closed; if so, marks the connection gone and stops.
     */
    private static void relayAnswer(Conn conn, Socket b) throws IOException {
        b.setSoTimeout(POLL_MILLIS);
        InputStream bin = b.getInputStream();
        OutputStream out = conn.client.getOutputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int n;
            try {
                n = bin.read(buf);
            } catch (SocketTimeoutException e) {
                if (clientClosed(conn.client)) {
                    conn.clientGone = true;
                    return;
                }
                continue;
            }
            if (n < 0) {
                if (head != null) {
                    out.write(head.toByteArray()); // an answer cut short: pass on what there is
                }
                out.flush();
                return;
            }
            if (head == null) {
                out.write(buf, 0, n);
                continue;
            }
            head.write(buf, 0, n);
            byte[] h = head.toByteArray();
            int end = headEnd(h);
            if (end >= 0) {
                out.write(withConnectionClose(new String(h, 0, end, StandardCharsets.ISO_8859_1)));
                out.write(h, end, h.length - end);
                head = null;
            }
        }
    }

    private static byte[] withConnectionClose(String head) {
        StringBuilder b = new StringBuilder();
        for (String line : head.split("\r?\n")) {
            if (!line.isEmpty() && !line.regionMatches(true, 0, "connection:", 0, "connection:".length())) {
                b.append(line).append("\r\n");
            }
        }
        return b.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether the client has closed its side; bytes it sends meanwhile are discarded (no pipelining). */
    private static boolean clientClosed(Socket client) throws IOException {
        client.setSoTimeout(1);
        try {
            return client.getInputStream().read(new byte[512]) < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the client
        }
    }

    private static byte[] errorResponse(Refusal r) {
        String json = "{\"error\":{\"status\":" + r.status + ",\"code\":" + quote(r.code) + ",\"message\":"
                + quote(r.getMessage()) + (r.hint.isEmpty() ? "" : ",\"hint\":" + quote(r.hint)) + "}}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + r.status + " " + reason(r.status) + "\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Content-Security-Policy: " + Exchanges.CSP + "\r\n"
                + "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n"
                + "Cache-Control: no-store\r\nConnection: close\r\n"
                + (r.status == 429 || r.status == 503 ? "Retry-After: 1\r\n" : "") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    private static String quote(String s) {
        return Exchanges.JSON.getNodeFactory().textNode(s).toString();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            default -> "Service Unavailable";
        };
    }

    private static String newSecret() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        pool.shutdownNow();
        watchdog.shutdownNow();
        for (Conn c : connections.values()) {
            c.closeAll();
        }
    }
}
