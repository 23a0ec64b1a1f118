package org.unmask.corpus.bench;

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
import org.unmask.corpus.input.Shard;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;

/**
 * The speed benchmark of the local engine against {@code zcat}, on the same files in the same run.
 *
 * <p>Builds the input by linking every shard of a source corpus {@code copies} times into a temporary tree
 * ({@code copy-00/…}, symbolic links, nothing copied), then times: {@code zcat <all files> > /dev/null}; the engine
 * on 1 thread; the engine on {@code threads} threads. Speeds are uncompressed JSONL bytes (the input the engine
 * reads, as zcat outputs it) per second, in MB = 10^6 bytes. Each measurement is the best of {@code repeats}.
 * Also checks that every engine run produced identical counts. Usable as
 * {@code java -cp … org.unmask.corpus.bench.CorpusBenchmark SOURCE [copies] [threads] [repeats]}.
 */
public final class CorpusBenchmark {
    /** The measured speeds. */
    public record Result(long uncompressedBytes, long diskBytes, int files, double zcatSeconds,
            double oneThreadSeconds, double manyThreadSeconds, int threads) {
        public double zcatMBps() {
            return uncompressedBytes / 1e6 / zcatSeconds;
        }

        public double oneThreadMBps() {
            return uncompressedBytes / 1e6 / oneThreadSeconds;
        }

        public double manyThreadMBps() {
            return uncompressedBytes / 1e6 / manyThreadSeconds;
        }

        /** Engine on {@code threads} threads / one zcat; the target is >= 1 on 2 cores. */
        public double ratio() {
            return zcatSeconds / manyThreadSeconds;
        }

        public String describe() {
            return String.format(Locale.ROOT, "input: %d files, %,d bytes on disk, %,d bytes uncompressed JSONL%n"
                    + "zcat > /dev/null          : %6.2f s  %7.1f MB/s%n"
                    + "engine, 1 thread          : %6.2f s  %7.1f MB/s per core%n"
                    + "engine, %2d threads        : %6.2f s  %7.1f MB/s (%.1f MB/s per thread)%n"
                    + "ratio engine(%d threads) / zcat: %.2f", files, diskBytes, uncompressedBytes,
                    zcatSeconds, zcatMBps(), oneThreadSeconds, oneThreadMBps(), threads, manyThreadSeconds,
                    manyThreadMBps(), manyThreadMBps() / threads, threads, ratio());
        }
    }

    private CorpusBenchmark() {}

    public static Result run(Path source, int copies, int threads, int repeats, PrintStream log)
            throws IOException, InvalidInputException, InterruptedException {
        Path tmp = Files.createTempDirectory("unmask-corpus-bench");
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
            double zcat = Double.MAX_VALUE;
            double one = Double.MAX_VALUE;
            double many = Double.MAX_VALUE;
            CorpusRun reference = null;
            for (int r = 0; r < repeats; r++) {
                zcat = Math.min(zcat, zcat(files));
                log.printf(Locale.ROOT, "repeat %d: zcat %.2f s%n", r + 1, zcat);
                CorpusRun a = engine(spec, listing, 1, tmp.resolve("out-1-" + r));
                one = Math.min(one, a.seconds());
                log.printf(Locale.ROOT, "repeat %d: engine 1 thread %.2f s%n", r + 1, a.seconds());
                CorpusRun b = engine(spec, listing, threads, tmp.resolve("out-n-" + r));
                many = Math.min(many, b.seconds());
                log.printf(Locale.ROOT, "repeat %d: engine %d threads %.2f s%n", r + 1, threads, b.seconds());
                reference = reference == null ? a : reference;
                if (!reference.totals().equals(a.totals()) || !reference.totals().equals(b.totals())) {
                    throw new IllegalStateException("engine runs disagree: counts are not deterministic");
                }
            }
            return new Result(reference.totals().total(Total.INPUT_BYTES), listing.totalBytes(),
                    listing.shards().size(), zcat, one, many, threads);
        } finally {
            deleteTree(tmp);
        }
    }

    private static CorpusRun engine(CountingSpec spec, CorpusFiles.Listing listing, int threads, Path out)
            throws IOException {
        return new LocalEngine(spec, new LocalOptions(threads, null, 0)).run(listing, out);
    }

    private static double zcat(List<String> files) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("zcat");
        cmd.addAll(files);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        long t0 = System.nanoTime();
        int rc = pb.start().waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) {
            throw new IOException("zcat exited with " + rc);
        }
        return s;
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
            System.err.println("usage: CorpusBenchmark SOURCE_DIR [copies=16] [threads=cores] [repeats=1]");
            System.exit(2);
        }
        int copies = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Result r = run(Path.of(args[0]), copies, threads, repeats, System.err);
        System.out.println(r.describe());
    }
}
