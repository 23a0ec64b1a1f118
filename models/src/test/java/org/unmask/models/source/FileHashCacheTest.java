package org.unmask.models.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;

class FileHashCacheTest {
    @TempDir
    Path tmp;

    private static String sha(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void remembersTheHashWhileTheFileIsUnchanged() throws Exception {
        Path file = Files.writeString(tmp.resolve("model.safetensors"), "weights-v1");
        FileHashCache cache = new FileHashCache(tmp.resolve("cache"));
        assertEquals(sha("weights-v1"), cache.sha256(file));
        Path entry;
        try (Stream<Path> entries = Files.list(tmp.resolve("cache/hashes"))) {
            entry = entries.reduce((a, b) -> {
                        throw new AssertionError("more than one entry");
                    })
                    .orElseThrow();
        }
        // a recorded hash is used without reading the file: prove it by planting another one
        String planted = "ab".repeat(32);
        Files.writeString(entry, Files.readString(entry).replace(sha("weights-v1"), planted));
        assertEquals(planted, new FileHashCache(tmp.resolve("cache")).sha256(file));

        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_001_000L));
        assertEquals(sha("weights-v1"), cache.sha256(file), "a new mtime forces hashing again");
    }

    @Test
    void aRewriteThatRestoresSizeAndMtimeIsStillNoticed() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("unix") || isLinux());
        Path file = Files.writeString(tmp.resolve("model.safetensors"), "weights-v1");
        FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(file, mtime);
        FileHashCache cache = new FileHashCache(tmp.resolve("cache"));
        assertEquals(sha("weights-v1"), cache.sha256(file));
        Thread.sleep(20); // let the status-change time move on coarse clocks
        Files.writeString(file, "weights-v2"); // same size
        Files.setLastModifiedTime(file, mtime); // as cp -p or rsync -t would
        assertEquals(sha("weights-v2"), cache.sha256(file), "a stale hash was served for rewritten weights");
    }

    @Test
    void entriesOfTheOldSizeAndMtimeFormatAreNeverRead() throws Exception {
        Path file = Files.writeString(tmp.resolve("model.safetensors"), "weights-v1");
        Path hashes = Files.createDirectories(tmp.resolve("cache/hashes"));
        String abs = file.toAbsolutePath().normalize().toString();
        String oldName = HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256").digest(abs.getBytes(StandardCharsets.UTF_8)),
                                0,
                                16)
                + ".json";
        Files.writeString(
                hashes.resolve(oldName),
                "{\"path\":\"" + abs + "\",\"size\":" + Files.size(file) + ",\"mtime\":\""
                        + Files.getLastModifiedTime(file) + "\",\"sha256\":\"" + "cd".repeat(32) + "\"}");
        assertEquals(sha("weights-v1"), new FileHashCache(tmp.resolve("cache")).sha256(file));
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux");
    }

    @Test
    void unwritableCacheStillHashes() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "abc");
        Path notAFolder = Files.writeString(tmp.resolve("cache"), "x");
        assertEquals(sha("abc"), new FileHashCache(notAFolder).sha256(file));
    }

    @Test
    void missingFileIsAModelError() {
        ModelException e = assertThrows(
                ModelException.class, () -> new FileHashCache(tmp).sha256(tmp.resolve("absent.safetensors")));
        assertTrue(e.getMessage().contains("absent.safetensors"), e.getMessage());
    }
}
