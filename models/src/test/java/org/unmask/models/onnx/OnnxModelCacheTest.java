package org.unmask.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;

/** Unpacking a classpath model into the cache: whole file and hash sidecar, shareable, no temporary file left. */
class OnnxModelCacheTest {
    private static final String RESOURCE = "org/unmask/models/perf/fma_peak.c";

    @TempDir
    Path dir;

    @Test
    void unpacksTheResourceWithItsSha256AndLeavesNothingElse() throws Exception {
        byte[] bytes;
        try (InputStream in = OnnxModelCacheTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            bytes = in.readAllBytes();
        }
        String sha = OnnxModelCache.unpack(RESOURCE, dir.resolve("cache"), "m.onnx");
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), sha);
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("cache/m.onnx")));
        assertEquals(sha + "\n", Files.readString(dir.resolve("cache/m.onnx.sha256")));
        assertEquals(sha, OnnxModelCache.unpack(RESOURCE, dir.resolve("cache"), "m.onnx"), "the second call reads");
        try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
            assertEquals(2, s.count(), "no temporary file left");
        }
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(
                    "rw-r--r--",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache/m.onnx"))));
        }
    }

    @Test
    void aMissingResourceIsAModelErrorAndWritesNothing() throws Exception {
        assertThrows(ModelException.class, () -> OnnxModelCache.unpack("no/such.onnx", dir, "x.onnx"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }
}
