package org.unmask.corpus.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.ShardProcessor;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.lexicon.WordListLoader;

/**
 * The Parquet reader streams a row group: a file whose single row group holds 64 MiB of text (about 24 MiB as
 * zstd) is counted in a child JVM with a 56 MiB heap, less than the decompressed row group alone. The bound, as
 * stated in the corpus README: the compressed text-column chunk of one row group, plus one decompressed page
 * (1 MiB here) and the current document; never the decompressed row group, never the file.
 */
class ParquetMemoryTest {
    static final String HEAP = "-Xmx56m";

    @TempDir
    Path tmp;

    /** Counts one Parquet file and prints its document count: {@code ParquetMemoryTest$Child FILE}. */
    public static final class Child {
        public static void main(String[] args) {
            ShardResult r = new ShardProcessor(CountingSpec.defaults(WordListLoader.builtIn()))
                    .processParquet("big.parquet", new LocalInputFile(Path.of(args[0])), ShardProcessor.Progress.NONE);
            System.out.println("documents=" + r.counts().total(Total.DOCUMENTS) + " textBytes="
                    + r.counts().total(Total.TEXT_BYTES) + " complete=" + r.complete() + " skipped=" + r.skipped());
        }
    }

    @Test
    void oneRowGroupOf64MibOfTextIsCountedInAHeapSmallerThanItsText() throws Exception {
        ParquetInputTest.loadMini();
        List<String> docs = new ArrayList<>();
        long bytes = 0;
        while (bytes < 64L << 20) {
            for (String t : ParquetInputTest.textsForTests()) {
                docs.add(t);
                bytes += t.length();
            }
        }
        Path f = ParquetFixtures.write(tmp.resolve("big.parquet"), docs, CompressionCodecName.ZSTD, 1L << 30);
        assertEquals(1, ParquetInputTest.rowGroups(f), "one row group");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        HEAP,
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        f.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("documents=" + docs.size() + " "), out);
        assertTrue(out.contains("complete=true skipped=0"), out);
        System.out.println("one row group, " + bytes + " chars of text, " + Files.size(f) + " bytes zstd; child ("
                + HEAP + "): " + out.trim());
    }
}
