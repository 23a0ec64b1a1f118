package org.unmask.corpus.input;

/**
 * How the engines inflate {@code .gz} shards. With {@code nativeInflater}, a shard whose compressed and decoded
 * bytes together fit in {@code inMemoryBytes} is read whole and inflated by ISA-L ({@link WholeGzip}); larger
 * shards, and every shard without ISA-L, stream through {@code java.util.zip} in 64 KiB steps as before. Both
 * give identical counts (the in-memory result is verified against the gzip trailer, and anything unverifiable
 * falls back to the streaming path).
 *
 * @param nativeInflater use ISA-L where it is available
 * @param inMemoryBytes per-thread budget for the whole-file path (compressed plus decoded bytes)
 */
public record GunzipPolicy(boolean nativeInflater, long inMemoryBytes) {
    /** The largest per-thread budget, whatever the heap: beyond it a shard streams. */
    public static final long MAX_IN_MEMORY = 512L << 20;

    public GunzipPolicy {
        if (inMemoryBytes < 0) {
            throw new IllegalArgumentException("inMemoryBytes < 0: " + inMemoryBytes);
        }
    }

    /**
     * ISA-L when available, with a budget of a quarter of the heap shared by one thread per core, at most
     * {@link #MAX_IN_MEMORY} (with the launcher's 8 GiB heap on 2 cores: 512 MiB, i.e. shards up to ~140 MB
     * of gzipped JSONL); {@code -Dunmask.corpus.gunzip=jdk} turns ISA-L off.
     */
    public static GunzipPolicy defaults() {
        long perThread =
                Runtime.getRuntime().maxMemory() / (4L * Runtime.getRuntime().availableProcessors());
        return new GunzipPolicy(WholeGzip.available(), Math.min(MAX_IN_MEMORY, perThread));
    }

    /** java.util.zip only, streaming: the engine as it was before ISA-L. */
    public static GunzipPolicy jdk() {
        return new GunzipPolicy(false, 0);
    }

    /** Whether a shard is read whole at all under this policy. */
    public boolean inMemory() {
        return nativeInflater && inMemoryBytes > 0 && WholeGzip.available();
    }
}
