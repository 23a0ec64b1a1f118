package org.unmask.models.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;

/** Cache behaviour of the embedded-checkpoint conversion, on a synthetic tiny bundle (milliseconds per conversion). */
class EmbeddedBertCheckpointTest {
    @TempDir
    Path tmp;

    private Path zip;
    private final List<String> notices = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void writeFixture() throws IOException {
        zip = new TfBundleFixture().writeZip(tmp.resolve("bundle.zip"));
    }

    private EmbeddedBertCheckpoint checkpoint(Path cache) {
        return new EmbeddedBertCheckpoint(cache, notices::add, () -> SavedModelArchive.ofZipFile(zip, "synthetic"));
    }

    private long conversions() {
        return notices.stream().filter(n -> n.contains("converting")).count();
    }

    @Test
    void convertsOnceThenReusesTheFolder() throws Exception {
        Path cache = tmp.resolve("cache");
        Path dir = checkpoint(cache).ensure();
        assertEquals(cache.resolve("models/bert-base-uncased").toAbsolutePath(), dir);
        for (String f : CheckpointManifest.FILES) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(dir.resolve(CheckpointManifest.FILE)));
        FileTime before = Files.getLastModifiedTime(dir.resolve("model.safetensors"));
        assertEquals(dir, checkpoint(cache).ensure());
        assertEquals(1, conversions());
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("model.safetensors")));
        try (Stream<Path> siblings = Files.list(dir.getParent())) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temp folder left");
        }
    }

    @Test
    void corruptedWeightsWithSameSizeAreDetectedAndReconverted() throws Exception {
        Path cache = tmp.resolve("cache");
        Path dir = checkpoint(cache).ensure();
        Path weights = dir.resolve("model.safetensors");
        String original = CheckpointManifest.sha256(weights);
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.seek(f.length() - 3);
            int b = f.read();
            f.seek(f.length() - 3);
            f.write(b ^ 0xff);
        }
        Files.setLastModifiedTime(weights, FileTime.fromMillis(1_000_000L)); // mtime changed: hash is re-checked
        assertNotEquals(original, CheckpointManifest.sha256(weights));

        assertEquals(dir, checkpoint(cache).ensure());
        assertEquals(2, conversions());
        assertTrue(notices.get(1).contains("unusable") && notices.get(1).contains("SHA-256"), notices.get(1));
        assertEquals(original, CheckpointManifest.sha256(weights));
    }

    @Test
    void unchangedSizeAndMtimeSkipTheWeightsHash() throws Exception {
        Path cache = tmp.resolve("cache");
        Path dir = checkpoint(cache).ensure();
        Path weights = dir.resolve("model.safetensors");
        FileTime mtime = Files.getLastModifiedTime(weights);
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.seek(f.length() - 3);
            int b = f.read();
            f.seek(f.length() - 3);
            f.write(b ^ 0xff);
        }
        Files.setLastModifiedTime(weights, mtime); // same size and mtime: the recorded verification is trusted
        checkpoint(cache).ensure();
        assertEquals(1, conversions(), "the large file is not re-hashed when size and mtime are unchanged");
    }

    @Test
    void truncatedOrMissingFilesAreReconverted() throws Exception {
        Path cache = tmp.resolve("cache");
        Path dir = checkpoint(cache).ensure();
        try (RandomAccessFile f =
                new RandomAccessFile(dir.resolve("model.safetensors").toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        checkpoint(cache).ensure();
        assertEquals(2, conversions());
        assertTrue(notices.get(1).contains("model.safetensors has"), notices.get(1));

        Files.delete(dir.resolve("tokenizer.json"));
        checkpoint(cache).ensure();
        assertEquals(3, conversions());
        assertTrue(notices.get(2).contains("tokenizer.json is missing"), notices.get(2));
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
    }

    @Test
    void olderConverterVersionIsReconverted() throws Exception {
        Path cache = tmp.resolve("cache");
        Path dir = checkpoint(cache).ensure();
        Path manifest = dir.resolve(CheckpointManifest.FILE);
        Files.writeString(
                manifest, Files.readString(manifest).replace("\"converterVersion\" : 1", "\"converterVersion\" : 0"));
        checkpoint(cache).ensure();
        assertEquals(2, conversions());
        assertTrue(notices.get(1).contains("converter version 0"), notices.get(1));
    }

    @Test
    void leftoverTempFoldersOfDeadRunsAreRemoved() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("cache/models"));
        Path stale = Files.createDirectories(models.resolve(".bert-base-uncased.tmp-12345"));
        Files.writeString(stale.resolve("model.safetensors"), "partial");
        checkpoint(tmp.resolve("cache")).ensure();
        assertFalse(Files.exists(stale));
    }

    @Test
    void twoConcurrentCallersConvertOnce() throws Exception {
        Path cache = tmp.resolve("cache");
        CountDownLatch start = new CountDownLatch(1);
        Callable<Path> call = () -> {
            start.await();
            return checkpoint(cache).ensure();
        };
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Path>> futures = List.of(pool.submit(call), pool.submit(call), pool.submit(call));
            start.countDown();
            for (Future<Path> f : futures) {
                assertEquals(cache.resolve("models/bert-base-uncased").toAbsolutePath(), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, conversions());
    }

    @Test
    void unwritableCacheGivesAHint() throws IOException {
        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        ModelException e =
                assertThrows(ModelException.class, () -> checkpoint(notAFolder).ensure());
        assertTrue(e.getMessage().contains(notAFolder.toString()), e.getMessage());
        assertTrue(e.hint().contains("UNMASK_CACHE"), e.hint());
    }

    @Test
    void recognisesTheDefaultModelNames() {
        assertTrue(EmbeddedBertCheckpoint.isDefaultRef(null));
        assertTrue(EmbeddedBertCheckpoint.isDefaultRef(" "));
        assertTrue(EmbeddedBertCheckpoint.isDefaultRef("bert-base-uncased"));
        assertTrue(EmbeddedBertCheckpoint.isDefaultRef("google-bert/bert-base-uncased"));
        assertFalse(EmbeddedBertCheckpoint.isDefaultRef("bert-base-cased"));
    }
}
