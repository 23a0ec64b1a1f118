package org.unmask.models.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void remembersTheHashWhileSizeAndMtimeAreUnchanged() throws Exception {
        Path file = Files.writeString(tmp.resolve("model.safetensors"), "weights-v1");
        FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(file, mtime);
        FileHashCache cache = new FileHashCache(tmp.resolve("cache"));
        assertEquals(sha("weights-v1"), cache.sha256(file));
        try (Stream<Path> entries = Files.list(tmp.resolve("cache/hashes"))) {
            assertEquals(1, entries.count());
        }

        Files.writeString(file, "weights-v2"); // same size
        Files.setLastModifiedTime(file, mtime);
        assertEquals(sha("weights-v1"), new FileHashCache(tmp.resolve("cache")).sha256(file),
                "same size and mtime: the recorded hash is reused without reading the file");

        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_001_000L));
        assertEquals(sha("weights-v2"), cache.sha256(file), "a new mtime forces hashing again");
    }

    @Test
    void unwritableCacheStillHashes() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "abc");
        Path notAFolder = Files.writeString(tmp.resolve("cache"), "x");
        assertEquals(sha("abc"), new FileHashCache(notAFolder).sha256(file));
    }

    @Test
    void missingFileIsAModelError() {
        ModelException e = assertThrows(ModelException.class,
                () -> new FileHashCache(tmp).sha256(tmp.resolve("absent.safetensors")));
        assertTrue(e.getMessage().contains("absent.safetensors"), e.getMessage());
    }
}
