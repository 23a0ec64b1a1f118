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
import org.unmask.models.ModelLoader;
import org.unmask.server.model.BatchingOptions;

/**
 * Load test of {@code POST /api/fill-mask} on loopback against the real model: N concurrent clients send
 * single-text requests (all texts distinct, so the executor's cache never answers) for a fixed time, first
 * with dynamic batching and then one at a time. Prints throughput and p50/p99 latency as Markdown rows.
 * Bounded: at most 64 clients and 120 s per mode. Not a unit test; run it with {@code server/load-test.sh}.
 *
 * <p>Arguments: {@code [clients=8] [seconds=20] [modes=batched,single] [model=embedded]}.
 */
public final class LoadTest {
    private static final String[] SUBJECTS = {"the man", "the woman", "my father", "my mother", "his son",
        "her daughter", "the boy", "the girl", "my uncle", "my aunt", "the young man", "the old woman"};
    private static final String[] VERBS = {"worked as a", "is a", "wants to become a", "was hired as a",
        "trained to be a", "used to be a", "is studying to be a", "quit being a"};
    private static final String[] PLACES = {"in the city", "at the hospital", "in a small town", "for ten years",
        "last year", "after college", "in london", "at the factory", "near the station", "during the war",
        "before retiring", "at the school"};
    private static final String[] ENDINGS = {".", " and loved it.", " but hated it.", " for the money.",
        " like her father.", " like his mother."};

    private LoadTest() {}

    public static void main(String[] args) throws Exception {
        int clients = Math.min(64, args.length > 0 ? Integer.parseInt(args[0]) : 8);
        int seconds = Math.min(120, args.length > 1 ? Integer.parseInt(args[1]) : 20);
        List<String> modes = List.of((args.length > 2 ? args[2] : "batched,single").split(","));
        String ref = args.length > 3 ? args[3] : null;
        List<String> texts = texts();
        Path runs = Files.createTempDirectory("unmask-load");
        try (LanguageModel lm = ModelLoader.load(ref)) {
            System.out.printf(Locale.ROOT, "model %s, %d clients, %d s per mode after 3 s warm-up, %d distinct texts, "
                    + "%d cpus, load average at start %.2f%n", lm.info().id(), clients, seconds, texts.size(),
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.println("| mode | clients | requests ok | errors | throughput (req/s) | p50 (ms) | p99 (ms) "
                    + "| model calls | mean requests/call |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            int offset = 0;
            for (String mode : modes) {
                boolean batched = mode.equals("batched");
                ServerOptions opts = ServerOptions.local(runs).withBatching(BatchingOptions.DEFAULT.withEnabled(batched));
                try (UnmaskServer server = UnmaskServer.start(lm, List.of(), opts)) {
                    // warm up (JIT, allocator) for 3 s; never reuse a text, so no request is answered from cache
                    offset += run(server.port(), clients, 3, texts.subList(offset, texts.size())).sent;
                    long[] before = server.worker().counters();
                    Result r = run(server.port(), clients, seconds, texts.subList(offset, texts.size()));
                    offset += r.sent;
                    long[] after = server.worker().counters();
                    long[] c = {after[0] - before[0], after[1] - before[1]};
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.0f | %.0f | %d | %.2f |%n", mode,
                            clients, r.ok, r.errors, r.ok / (double) seconds, r.percentile(0.50), r.percentile(0.99),
                            c[0], c[1] / (double) Math.max(1, c[0]));
                }
            }
        }
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
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/fill-mask");
        AtomicInteger next = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<Double> lat = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    int i = next.getAndIncrement();
                    if (i >= texts.size()) {
                        return;
                    }
                    String body = "{\"inputs\":\"" + texts.get(i) + "\",\"top_k\":5}";
                    HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
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
            }, "load-client-" + c);
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
