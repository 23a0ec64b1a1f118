package org.unmask.corpus.local;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.parquet.io.LocalInputFile;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.ShardProcessor;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.count.Skip;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.input.GunzipPolicy;
import org.unmask.corpus.input.Shard;
import org.unmask.corpus.input.ShardFormat;

/**
 * Counts a corpus on this machine: shards in parallel (largest first, one thread each), each finished shard
 * checkpointed atomically in {@code <out>/shards/}; shards with a valid checkpoint are not read again.
 */
public final class LocalEngine {
    private final CountingSpec spec;
    private final LocalOptions options;
    private final GunzipPolicy gunzip;

    public LocalEngine(CountingSpec spec, LocalOptions options) {
        this(spec, options, GunzipPolicy.defaults());
    }

    /** An engine inflating .gz shards as {@code gunzip} says (the benchmark compares ISA-L with java.util.zip). */
    public LocalEngine(CountingSpec spec, LocalOptions options, GunzipPolicy gunzip) {
        this.spec = spec;
        this.options = options;
        this.gunzip = gunzip;
    }

    /** Counts {@code listing}, checkpointing in {@code outDir}; returns when done or stopped. */
    public CorpusRun run(CorpusFiles.Listing listing, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        ShardCheckpoints checkpoints = new ShardCheckpoints(outDir, spec);
        List<Shard> shards = listing.shards();
        AtomicReferenceArray<ShardResult> results = new AtomicReferenceArray<>(shards.size());
        List<Integer> todo = new ArrayList<>();
        int reused = 0;
        for (int i = 0; i < shards.size(); i++) {
            Optional<ShardResult> saved = checkpoints.load(shards.get(i));
            if (saved.isPresent()) {
                results.set(i, saved.get());
                reused++;
            } else {
                todo.add(i);
            }
        }
        todo.sort(Comparator.comparingLong((Integer i) -> shards.get(i).size()).reversed());
        Progress progress =
                new Progress(todo.stream().mapToLong(i -> shards.get(i).size()).sum(), todo.size());
        Thread bar = options.progressBar() == null ? null : progress.startBar(options.progressBar());
        try {
            countAll(shards, todo, results, checkpoints, progress);
        } finally {
            if (bar != null) {
                bar.interrupt();
                try {
                    bar.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        List<ShardResult> done = new ArrayList<>();
        long readNow = 0;
        for (int i = 0; i < shards.size(); i++) {
            if (results.get(i) != null) {
                done.add(results.get(i));
            }
        }
        for (int i : todo) {
            if (results.get(i) != null) {
                readNow += results.get(i).counts().total(Total.INPUT_BYTES);
            }
        }
        Counts totals = CorpusRun.sum(spec.words().occupations().size(), done);
        return new CorpusRun(
                spec,
                listing,
                done,
                totals,
                reused,
                shards.size() - done.size(),
                progress.seconds(),
                "local",
                options.threads(),
                readNow);
    }

    private void countAll(
            List<Shard> shards,
            List<Integer> todo,
            AtomicReferenceArray<ShardResult> results,
            ShardCheckpoints checkpoints,
            Progress progress)
            throws IOException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger counted = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        int workers = Math.min(options.threads(), Math.max(1, todo.size()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "unmask-corpus");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    ShardProcessor processor = new ShardProcessor(spec, gunzip);
                    int k;
                    while (!stop.get() && (k = next.getAndIncrement()) < todo.size()) {
                        int i = todo.get(k);
                        ShardResult r = countShard(processor, shards.get(i), progress);
                        checkpoints.save(shards.get(i), r);
                        results.set(i, r);
                        progress.shardsDone.incrementAndGet();
                        int n = counted.incrementAndGet();
                        if (options.stopAfterShards() > 0 && n >= options.stopAfterShards()) {
                            stop.set(true);
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        } catch (ExecutionException e) {
            stop.set(true);
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io; // e.g. the output folder became unwritable
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    private ShardResult countShard(ShardProcessor processor, Shard s, Progress progress) {
        if (!Files.isRegularFile(s.path())) {
            // never open it: a dangling link fails, and a named pipe would block the worker forever
            return unreadable(s, Files.isSymbolicLink(s.path()) ? "dangling symbolic link" : "not a regular file");
        }
        if (s.format() == ShardFormat.PARQUET) {
            // random access (footer first), so no counting stream: the shard's size counts when it is done
            ShardResult r = processor.processParquet(s.relative(), new LocalInputFile(s.path()), progress);
            progress.diskBytes.addAndGet(s.size());
            return r;
        }
        InputStream raw;
        try {
            raw = new CountingStream(Files.newInputStream(s.path()), progress.diskBytes);
        } catch (IOException e) {
            return unreadable(s, e.toString());
        }
        return processor.process(s.relative(), s.format(), raw, progress);
    }

    private ShardResult unreadable(Shard s, String why) {
        Map<Skip.Reason, Long> counts = new EnumMap<>(Skip.Reason.class);
        counts.put(Skip.Reason.UNREADABLE, 1L);
        return new ShardResult(
                s.relative(),
                new Counts(spec.words().occupations().size()),
                List.of(new Skip(s.relative(), 0, Skip.Reason.UNREADABLE, why)),
                counts,
                false);
    }

    /** Adds the bytes read from disk to a shared counter, for the progress bar. */
    private static final class CountingStream extends FilterInputStream {
        private final AtomicLong sink;

        CountingStream(InputStream in, AtomicLong sink) {
            super(in);
            this.sink = sink;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                sink.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                sink.addAndGet(n);
            }
            return n;
        }
    }
}
