package org.unmask.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.server.model.BatchingOptions;
import org.unmask.server.model.ModelWorker;

/**
 * Load test of {@code POST /api/fill-mask} on loopback against the real model: N concurrent clients send
 * single-text requests (all texts distinct, so the executor's cache never answers) for a fixed time, first
 * with dynamic batching and one at a time, alternating the two in 4 windows each so both see the same foreign
 * load. Prints throughput, p50/p99 latency and process CPU time per request as Markdown rows.
 * Bounded: at most 64 clients and 120 s per mode. Not a unit test; run it with {@code server/load-test.sh}.
 *
 * <p>Arguments: {@code [clients=8] [seconds=20] [modes=batched,single] [model=embedded] [batch-wait-ms=5]
 * [backend=onnx|torch]}.
 */
public final class LoadTest {
    private static final String[] SUBJECTS = {
        "the man",
        "the woman",
        "my father",
        "my mother",
        "his son",
        "her daughter",
        "the boy",
        "the girl",
        "my uncle",
        "my aunt",
        "the young man",
        "the old woman"
    };
    private static final String[] VERBS = {
        "worked as a",
        "is a",
        "wants to become a",
        "was hired as a",
        "trained to be a",
        "used to be a",
        "is studying to be a",
        "quit being a"
    };
    private static final String[] PLACES = {
        "in the city",
        "at the hospital",
        "in a small town",
        "for ten years",
        "last year",
        "after college",
        "in london",
        "at the factory",
        "near the station",
        "during the war",
        "before retiring",
        "at the school"
    };
    private static final String[] ENDINGS = {
        ".", " and loved it.", " but hated it.", " for the money.", " like her father.", " like his mother."
    };

    private LoadTest() {}

    public static void main(String[] args) throws Exception {
        int clients = Math.min(64, args.length > 0 ? Integer.parseInt(args[0]) : 8);
        int seconds = Math.min(120, args.length > 1 ? Integer.parseInt(args[1]) : 20);
        List<String> modes = List.of((args.length > 2 ? args[2] : "batched,single").split(","));
        String ref = args.length > 3 && !args[3].equals("embedded") ? args[3] : null;
        int waitMs = args.length > 4 ? Integer.parseInt(args[4]) : BatchingOptions.DEFAULT.maxWaitMillis();
        List<String> texts = texts();
        Path runs = Files.createTempDirectory("unmask-load");
        Backend backend = Backend.parse(args.length > 5 ? args[5] : "onnx");
        try (LanguageModel lm = ModelLoader.load(ref, backend)) {
            System.out.printf(
                    Locale.ROOT,
                    "model %s (%s), %d clients, %d s per mode in 4 alternating windows "
                            + "after 3 s warm-up, batch wait %d ms, %d distinct texts, %d cpus, load average at start %.2f%n",
                    lm.info().id(),
                    lm.info().backend(),
                    clients,
                    seconds,
                    waitMs,
                    texts.size(),
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
            System.out.println("| mode | clients | requests ok | errors | throughput (req/s) | p50 (ms) | p99 (ms) "
                    + "| process CPU ms/request | model calls | mean requests/call |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            List<Mode> ms = new ArrayList<>();
            for (String mode : modes) {
                BatchingOptions b = BatchingOptions.DEFAULT;
                b = new BatchingOptions(mode.equals("batched"), waitMs, b.maxRequests(), b.queueCapacity());
                // one handler thread per client, so the handler pool never caps the batch size
                ServerOptions opts = ServerOptions.local(runs).withBatching(b).withHttpThreads(clients);
                ms.add(new Mode(mode, UnmaskServer.start(lm, List.of(), opts)));
            }
            try {
                // warm up (JIT, allocator), then alternate the modes in ROUNDS windows so that both see the same
                // mix of foreign load on a shared machine; never reuse a text, so no request hits the cache
                int offset = 0;
                for (Mode m : ms) {
                    offset += run(m.server.port(), clients, 3, texts.subList(offset, texts.size())).sent;
                }
                int window = Math.max(1, seconds / ROUNDS);
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < ms.size(); i++) {
                        Mode m = ms.get(round % 2 == 0 ? i : ms.size() - 1 - i);
                        ModelWorker.Stats before = m.server.worker().stats();
                        long cpu0 = processCpuNanos();
                        Result r = run(m.server.port(), clients, window, texts.subList(offset, texts.size()));
                        m.cpuNanos += processCpuNanos() - cpu0;
                        offset += r.sent;
                        ModelWorker.Stats after = m.server.worker().stats();
                        m.calls += after.calls() - before.calls();
                        m.submissions += after.submissions() - before.submissions();
                        m.ok += r.ok;
                        m.errors += r.errors;
                        m.seconds += window;
                        for (double l : r.latenciesMs) {
                            m.latencies.add(l);
                        }
                    }
                }
                for (Mode m : ms) {
                    double[] l = m.latencies.stream()
                            .mapToDouble(Double::doubleValue)
                            .sorted()
                            .toArray();
                    Result all = new Result(0, m.ok, m.errors, l);
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %d | %d | %d | %.1f | %.0f | %.0f | %.1f | %d | %.2f |%n",
                            m.name,
                            clients,
                            m.ok,
                            m.errors,
                            m.ok / (double) m.seconds,
                            all.percentile(0.50),
                            all.percentile(0.99),
                            m.cpuNanos / 1e6 / Math.max(1, m.ok),
                            m.calls,
                            m.submissions / (double) Math.max(1, m.calls));
                }
            } finally {
                for (Mode m : ms) {
                    m.server.close();
                }
            }
        }
    }

    private static final int ROUNDS = 4;

    /** Accumulated figures of one mode over its windows. */
    private static final class Mode {
        final String name;
        final UnmaskServer server;
        final List<Double> latencies = new ArrayList<>();
        long ok;
        long errors;
        long calls;
        long submissions;
        long seconds;
        long cpuNanos;

        Mode(String name, UnmaskServer server) {
            this.name = name;
            this.server = server;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private record Result(int sent, long ok, long errors, double[] latenciesMs) {
        double percentile(double q) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(q * latenciesMs.length) - 1;
            return latenciesMs[Math.max(0, Math.min(latenciesMs.length - 1, i))];
        }
    }

    private static Result run(int port, int clients, int seconds, List<String> texts) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/fill-mask");
        AtomicInteger next = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<Double> lat = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            int i = next.getAndIncrement();
                            if (i >= texts.size()) {
                                return;
                            }
                            String body = "{\"inputs\":\"" + texts.get(i) + "\",\"top_k\":5}";
                            HttpRequest req = HttpRequest.newBuilder(uri)
                                    .header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(60))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build();
                            long t0 = System.nanoTime();
                            try {
                                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                                long t1 = System.nanoTime();
                                if (r.statusCode() == 200 && t1 <= end) {
                                    ok.incrementAndGet();
                                    lat.add((t1 - t0) / 1e6);
                                } else if (r.statusCode() != 200) {
                                    errors.incrementAndGet();
                                }
                            } catch (java.io.IOException e) {
                                errors.incrementAndGet();
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "load-client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double[] l = lat.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(l);
        return new Result(next.get(), ok.get(), errors.get(), l);
    }

    /** Every combination of the phrase lists, shuffled with a fixed seed. */
    static List<String> texts() {
        List<String> out = new ArrayList<>();
        for (String s : SUBJECTS) {
            for (String v : VERBS) {
                for (String p : PLACES) {
                    for (String e : ENDINGS) {
                        out.add(s + " " + v + " [MASK] " + p + e);
                    }
                }
            }
        }
        Collections.shuffle(out, new Random(42));
        return out;
    }
}
