package org.unmask.corpus.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.unmask.core.error.InvalidInputException;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.input.GunzipPolicy;
import org.unmask.corpus.input.Shard;
import org.unmask.corpus.input.WholeGzip;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;

/**
 * The speed benchmark of the local engine against {@code zcat}, on the same files in the same run.
 *
 * <p>Builds the input by linking every shard of a source corpus {@code copies} times into a temporary tree
 * ({@code copy-00/…}, symbolic links, nothing copied), then times, alternating in each repeat: {@code zcat <all
 * files> > /dev/null}; the engine on {@code threads} threads with java.util.zip only (the engine before ISA-L); the
 * engine on 1 thread and on {@code threads} threads as configured (ISA-L where available); {@code zcat} again (the
 * machine may be shared: zcat before and after brackets the engine runs). Speeds are uncompressed JSONL bytes (the input the engine
 * reads, as zcat outputs it) per second, in MB = 10^6 bytes, by wall time and per CPU-second (the latter is what a
 * core delivers when the machine is shared). The engine is warmed up (JIT) once on the source corpus first, untimed.
 * Each measurement is the best (by wall time) of {@code repeats}; the per-core ratio uses each side's least CPU
 * time instead ({@link Result#perCoreRatio()}).
 * Also checks that every engine run produced identical counts. Usable as
 * {@code java -cp … org.unmask.corpus.perf.CorpusPerf SOURCE [copies] [threads] [repeats]}.
 */
public final class CorpusPerf {
    /** The measured speeds. */
    public record Result(
            long uncompressedBytes,
            long diskBytes,
            int files,
            Timing zcat,
            Timing oneThread,
            Timing manyThreads,
            Timing manyThreadsJdk,
            int threads,
            double zcatLeastCpuSeconds,
            double manyThreadsLeastCpuSeconds,
            String inflater,
            String loadBefore,
            String loadAfter) {
        /** Engine on {@code threads} threads / one zcat, by wall time; the target is >= 2 on 2 cores. */
        public double ratio() {
            return zcat.seconds() / manyThreads.seconds();
        }

        /** The same with java.util.zip only. */
        public double ratioJdk() {
            return zcat.seconds() / manyThreadsJdk.seconds();
        }

        /**
         * Engine per CPU-second / zcat per CPU-second: what one core delivers, steadier on a shared machine. Each
         * side's least CPU time over all its runs (not the CPU time of the wall-clock best): on a loaded machine
         * the same zcat run costs up to 1.5x more CPU time from one run to the next (cache and SMT contention),
         * and the least is the figure least inflated by the other load.
         */
        public double perCoreRatio() {
            return zcatLeastCpuSeconds / manyThreadsLeastCpuSeconds;
        }

        private String row(String name, Timing t) {
            return String.format(
                    Locale.ROOT,
                    "%-22s %7.2f s wall %7.1f MB/s | %7.2f CPU-s %7.1f MB per CPU-s%n",
                    name,
                    t.seconds(),
                    uncompressedBytes / 1e6 / t.seconds(),
                    t.cpuSeconds(),
                    uncompressedBytes / 1e6 / t.cpuSeconds());
        }

        public String describe() {
            return String.format(
                            Locale.ROOT,
                            "input: %d files, %,d bytes on disk, %,d bytes uncompressed JSONL%n",
                            files,
                            diskBytes,
                            uncompressedBytes)
                    + String.format(Locale.ROOT, "load average before: %s; after: %s%n", loadBefore, loadAfter)
                    + String.format(Locale.ROOT, ".gz inflater: %s%n", inflater)
                    + row("zcat > /dev/null", zcat)
                    + row("engine, " + threads + " thr, JDK zlib", manyThreadsJdk)
                    + row("engine, 1 thread", oneThread)
                    + row("engine, " + threads + " threads", manyThreads)
                    + String.format(
                            Locale.ROOT,
                            "least CPU-s over all runs: zcat %.2f (%.1f MB per CPU-s), engine %d threads %.2f"
                                    + " (%.1f MB per CPU-s)%n",
                            zcatLeastCpuSeconds,
                            uncompressedBytes / 1e6 / zcatLeastCpuSeconds,
                            threads,
                            manyThreadsLeastCpuSeconds,
                            uncompressedBytes / 1e6 / manyThreadsLeastCpuSeconds)
                    + String.format(
                            Locale.ROOT,
                            "ratio engine(%d threads) / zcat (wall): %.2f (java.util.zip only: %.2f)"
                                    + "; per CPU-second (least CPU-s of each): %.2f",
                            threads,
                            ratio(),
                            ratioJdk(),
                            perCoreRatio());
        }
    }

    /** Wall seconds and CPU seconds (zcat: its user+sys; engine: the JVM's, JIT and GC included). */
    public record Timing(double seconds, double cpuSeconds) {
        static Timing best(Timing a, Timing b) {
            return a == null || b.seconds < a.seconds ? b : a;
        }
    }

    private CorpusPerf() {}

    public static Result run(Path source, int copies, int threads, int repeats, PrintStream log)
            throws IOException, InvalidInputException, InterruptedException {
        Path tmp = Files.createTempDirectory("unmask-corpus-perf");
        try {
            CorpusFiles.Listing src = CorpusFiles.list(source);
            List<String> files = new ArrayList<>();
            for (int c = 0; c < copies; c++) {
                Path dir = Files.createDirectories(tmp.resolve("input").resolve(String.format("copy-%02d", c)));
                for (Shard s : src.shards()) {
                    Path link = dir.resolve(s.relative().replace('/', '_'));
                    Files.createSymbolicLink(link, s.path().toAbsolutePath());
                    files.add(link.toString());
                }
            }
            CorpusFiles.Listing listing = CorpusFiles.list(tmp.resolve("input"));
            CountingSpec spec = CountingSpec.defaults(WordListLoader.builtIn());
            // JIT warm-up on the source corpus once, not timed (a real run over TBs is warm after seconds)
            engine(spec, src, Math.max(1, threads), tmp.resolve("out-warmup"));
            String loadBefore = loadAverage();
            Timing zcat = null;
            Timing one = null;
            Timing many = null;
            Timing manyJdk = null;
            double zcatCpu = Double.MAX_VALUE;
            double manyCpu = Double.MAX_VALUE;
            CorpusRun reference = null;
            for (int r = 0; r < repeats; r++) {
                Timing z = zcat(files);
                zcat = Timing.best(zcat, z);
                zcatCpu = Math.min(zcatCpu, z.cpuSeconds());
                log.printf(Locale.ROOT, "repeat %d: zcat %s%n", r + 1, z);
                long cpuJ = processCpuNanos();
                CorpusRun j = new LocalEngine(spec, new LocalOptions(threads, null, 0), GunzipPolicy.jdk())
                        .run(listing, tmp.resolve("out-jdk-" + r));
                manyJdk = Timing.best(manyJdk, new Timing(j.seconds(), (processCpuNanos() - cpuJ) / 1e9));
                log.printf(
                        Locale.ROOT,
                        "repeat %d: engine %d threads, java.util.zip %.2f s%n",
                        r + 1,
                        threads,
                        j.seconds());
                long cpu0 = processCpuNanos();
                CorpusRun a = engine(spec, listing, 1, tmp.resolve("out-1-" + r));
                long cpu1 = processCpuNanos();
                one = Timing.best(one, new Timing(a.seconds(), (cpu1 - cpu0) / 1e9));
                log.printf(Locale.ROOT, "repeat %d: engine 1 thread %.2f s%n", r + 1, a.seconds());
                CorpusRun b = engine(spec, listing, threads, tmp.resolve("out-n-" + r));
                Timing m = new Timing(b.seconds(), (processCpuNanos() - cpu1) / 1e9);
                many = Timing.best(many, m);
                manyCpu = Math.min(manyCpu, m.cpuSeconds());
                log.printf(Locale.ROOT, "repeat %d: engine %d threads %s%n", r + 1, threads, m);
                z = zcat(files);
                zcat = Timing.best(zcat, z);
                zcatCpu = Math.min(zcatCpu, z.cpuSeconds());
                log.printf(Locale.ROOT, "repeat %d: zcat %s%n", r + 1, z);
                reference = reference == null ? a : reference;
                if (!reference.totals().equals(a.totals())
                        || !reference.totals().equals(b.totals())
                        || !reference.totals().equals(j.totals())) {
                    throw new IllegalStateException("engine runs disagree: counts are not deterministic");
                }
            }
            return new Result(
                    reference.totals().total(Total.INPUT_BYTES),
                    listing.totalBytes(),
                    listing.shards().size(),
                    zcat,
                    one,
                    many,
                    manyJdk,
                    threads,
                    zcatCpu,
                    manyCpu,
                    WholeGzip.description(),
                    loadBefore,
                    loadAverage());
        } finally {
            deleteTree(tmp);
        }
    }

    private static CorpusRun engine(CountingSpec spec, CorpusFiles.Listing listing, int threads, Path out)
            throws IOException {
        return new LocalEngine(spec, new LocalOptions(threads, null, 0)).run(listing, out);
    }

    /** Times {@code zcat FILES > /dev/null}; bash's {@code times} gives zcat's CPU time (children line). */
    private static Timing zcat(List<String> files) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "zcat \"$@\" > /dev/null && times", "bash"));
        cmd.addAll(files);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        int rc = p.waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) {
            throw new IOException("zcat exited with " + rc);
        }
        String[] lines = out.strip().split("\n");
        String[] children = lines[lines.length - 1].trim().split("\\s+");
        return new Timing(s, bashTime(children[0]) + bashTime(children[1]));
    }

    /** Parses bash's {@code 1m2.345s}. */
    private static double bashTime(String t) {
        int m = t.indexOf('m');
        return Integer.parseInt(t.substring(0, m)) * 60 + Double.parseDouble(t.substring(m + 1, t.length() - 1));
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> w = Files.walk(root)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CorpusPerf SOURCE_DIR [copies=16] [threads=cores] [repeats=1]");
            System.exit(2);
        }
        int copies = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int threads = args.length > 2
                ? Integer.parseInt(args[2])
                : Runtime.getRuntime().availableProcessors();
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Result r = run(Path.of(args[0]), copies, threads, repeats, System.err);
        System.out.println(r.describe());
    }
}
