package org.unmask.corpus.gzip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.unmask.corpus.Fixtures;
import org.unmask.corpus.TestCorpora;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.ShardProcessor;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.input.GunzipPolicy;
import org.unmask.corpus.input.ShardFormat;
import org.unmask.corpus.input.WholeGzip;
import org.unmask.corpus.lexicon.WordListLoader;

/**
 * The ISA-L path for .gz shards counts exactly what java.util.zip counts: on the shared corpora's real shards, and
 * on every kind of gzip file it must hand back to java.util.zip (several members, damage, truncation, a read
 * error, a shard over the memory budget).
 */
class NativeGunzipTest {
    private static final CountingSpec SPEC = CountingSpec.defaults(WordListLoader.builtIn());
    private static final GunzipPolicy ISAL = new GunzipPolicy(true, 256L << 20);

    @Test
    void isalIsLoadedOnLinuxX86() {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && ("amd64".equals(arch) || "x86_64".equals(arch)));
        assertTrue(WholeGzip.available(), WholeGzip.description());
        assertTrue(ISAL.inMemory());
    }

    @Test
    void sharedCorpusShardsCountIdenticallyWithIsalAndJdk() throws IOException {
        List<Path> shards = List.of(
                TestCorpora.dir("gutenberg-mini").resolve("gutenberg-mini-0000.jsonl.gz"),
                TestCorpora.dir("wikitext2-validtest").resolve("wikitext2-validtest.jsonl.gz"),
                TestCorpora.dir("gutenberg-medium").resolve("gutenberg-medium-0000.jsonl.gz"),
                TestCorpora.dir("gutenberg-medium").resolve("gutenberg-medium-0004.jsonl.gz"));
        for (Path p : shards) {
            byte[] gz = Files.readAllBytes(p);
            WholeGzip w = new WholeGzip();
            assumeTrue(WholeGzip.available());
            assertTrue(w.inflate(gz, gz.length, 1L << 30) > 0, p + ": the ISA-L path must be taken");
            assertSame(gz, ShardFormat.JSONL_GZ, ISAL);
        }
    }

    @Test
    void multiMemberFileIsReadToTheEnd() throws IOException {
        byte[] a = gzip(text(1, 300));
        byte[] b = gzip(text(2, 300));
        byte[] both = concat(a, b);
        assertEquals(-1, new WholeGzip().inflate(both, both.length, 1L << 30), "two members: java.util.zip");
        ShardResult r = assertSame(both, ShardFormat.JSONL_GZ, ISAL);
        assertTrue(r.complete());
        // the same member twice has the trailer of the first: still both are counted
        ShardResult twice = assertSame(concat(a, a), ShardFormat.JSONL_GZ, ISAL);
        ShardResult once = process(a, ShardFormat.JSONL_GZ, GunzipPolicy.jdk());
        assertEquals(
                2 * once.counts().total(org.unmask.corpus.count.Total.DOCUMENTS),
                twice.counts().total(org.unmask.corpus.count.Total.DOCUMENTS));
    }

    @Test
    void damagedTruncatedAndBadChecksumFilesReportWhatJavaUtilZipReports() throws IOException {
        byte[] gz = gzip(text(3, 1000));
        byte[] truncated = Arrays.copyOf(gz, gz.length * 2 / 3);
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 6] ^= 0x55;
        byte[] badSize = gz.clone();
        badSize[badSize.length - 2] ^= 0x01;
        Random rnd = new Random(18);
        for (byte[] broken : List.of(truncated, badCrc, badSize, flip(gz, rnd), flip(gz, rnd), flip(gz, rnd))) {
            assertEquals(-1, new WholeGzip().inflate(broken, broken.length, 1L << 30));
            ShardResult r = assertSame(broken, ShardFormat.JSONL_GZ, ISAL);
            assertFalse(r.complete() && Arrays.equals(broken, truncated), "a truncated shard is incomplete");
        }
    }

    /**
     * Found by CorpusLineFuzzTest: the last block's "final" bit cleared. The text and its CRC are intact and ISA-L
     * consumes every byte, but the stream never ends; java.util.zip reads the trailer as more DEFLATE data.
     */
    @Test
    void streamWhoseLastBlockIsNotMarkedFinalIsLeftToJavaUtilZip() {
        byte[] gz = java.util.HexFormat.of()
                .parseHex("1f8b08000000000000ffab56ca4c51b2523254d2512a49ad2801324332"
                        + "5215f24a8b8a53158a133353148a81dcf2c4628592cca2d4143da55a2e103f19c6bf32000000");
        assertEquals(-1, new WholeGzip().inflate(gz, gz.length, 1L << 30));
        ShardResult r = assertSame(gz, ShardFormat.JSONL_GZ, ISAL);
        assertFalse(r.complete());
    }

    @Test
    void headerWithNameCommentAndExtraFieldIsUnderstood() throws IOException {
        byte[] plain = gzip(text(4, 100));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        out.write(new byte[] {3, 0, 'a', 'b', 'c'});
        out.write("shard.jsonl\0a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        out.write(plain, 10, plain.length - 10);
        byte[] gz = out.toByteArray();
        assumeTrue(WholeGzip.available());
        assertTrue(new WholeGzip().inflate(gz, gz.length, 1L << 30) > 0);
        assertSame(gz, ShardFormat.JSONL_GZ, ISAL);
    }

    @Test
    void shardOverTheMemoryBudgetStreamsWithTheSameCounts() throws IOException {
        byte[] gz = gzip(text(5, 1000));
        assertSame(gz, ShardFormat.JSONL_GZ, new GunzipPolicy(true, gz.length / 3));
        assertSame(gz, ShardFormat.JSONL_GZ, new GunzipPolicy(true, gz.length + 10)); // input fits, output not
        assertSame(concat(gz, gzip(text(6, 10))), ShardFormat.JSONL_GZ, new GunzipPolicy(true, gz.length - 5));
    }

    @Test
    void readErrorPartWayKeepsTheLinesReadBeforeIt() throws IOException {
        byte[] gz = gzip(text(7, 1000));
        for (int cut : new int[] {5, gz.length / 2, gz.length - 3}) {
            ShardResult jdk = new ShardProcessor(SPEC, GunzipPolicy.jdk())
                    .process("x.jsonl.gz", ShardFormat.JSONL_GZ, failingAfter(gz, cut), ShardProcessor.Progress.NONE);
            ShardResult isal = new ShardProcessor(SPEC, ISAL)
                    .process("x.jsonl.gz", ShardFormat.JSONL_GZ, failingAfter(gz, cut), ShardProcessor.Progress.NONE);
            assertEquals(jdk, isal, "read error after " + cut + " bytes");
            assertFalse(isal.complete());
        }
    }

    @Test
    void plainTextGzipShardCountsIdentically() throws IOException {
        assertSame(
                gzip(String.join("\n", Fixtures.miniLines()).getBytes(StandardCharsets.UTF_8)),
                ShardFormat.TEXT_GZ,
                ISAL);
    }

    private static ShardResult assertSame(byte[] gz, ShardFormat format, GunzipPolicy policy) {
        ShardResult jdk = process(gz, format, GunzipPolicy.jdk());
        ShardResult fast = process(gz, format, policy);
        assertEquals(jdk, fast);
        // one processor reuses its buffers from shard to shard: a second shard must not see the first's bytes
        ShardProcessor reused = new ShardProcessor(SPEC, policy);
        reused.process(
                "y", format, new ByteArrayInputStream(gzipUnchecked(text(99, 50))), ShardProcessor.Progress.NONE);
        assertEquals(jdk, reused.process("x.gz", format, new ByteArrayInputStream(gz), ShardProcessor.Progress.NONE));
        return fast;
    }

    private static ShardResult process(byte[] gz, ShardFormat format, GunzipPolicy policy) {
        return new ShardProcessor(SPEC, policy)
                .process("x.gz", format, new ByteArrayInputStream(gz), ShardProcessor.Progress.NONE);
    }

    /** Lines of gutenberg-mini (a seeded selection), with one line that is not JSON. */
    private static byte[] text(long seed, int lines) {
        List<String> mini = Fixtures.miniLines();
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            String l = mini.get(rnd.nextInt(mini.size()));
            sb.append(l, 0, Math.min(l.length(), 2000 + rnd.nextInt(2000)));
            sb.append(l.length() > 4000 ? "\"}" : "").append('\n');
        }
        sb.append("not json\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private static byte[] gzipUnchecked(byte[] content) {
        try {
            return gzip(content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] flip(byte[] gz, Random rnd) {
        byte[] c = gz.clone();
        int p = 20 + rnd.nextInt(c.length - 40);
        c[p] ^= (byte) (1 + rnd.nextInt(255));
        return c;
    }

    /** The bytes up to {@code cut}, then an IOException, as a disk or network read failing part-way. */
    private static InputStream failingAfter(byte[] data, int cut) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= cut) {
                    throw new IOException("disk read failed at byte " + cut);
                }
                int n = Math.min(len, cut - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
