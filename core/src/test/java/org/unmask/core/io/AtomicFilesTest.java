package org.unmask.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void writtenFilesAreReadableByOthersNotPrivateLikeTemporaryFiles() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"));
        Path f = tmp.resolve("a/b/out.json");
        AtomicFiles.write(f, "{}");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws Exception {
        Path f = tmp.resolve("out.csv");
        AtomicFiles.write(f, "old");
        AtomicFiles.write(f, new byte[] {'n', 'e', 'w'});
        assertEquals("new", Files.readString(f));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void aStreamThatFailsLeavesTheTargetAsItWasAndNoTemporaryFile() throws Exception {
        Path f = tmp.resolve("big.jsonl");
        AtomicFiles.write(f, "complete");
        IOException e = assertThrows(
                IOException.class,
                () -> AtomicFiles.write(f, out -> {
                    out.write("half of a ".getBytes(StandardCharsets.UTF_8));
                    throw new IOException("disk full");
                }));
        assertEquals("disk full", e.getMessage());
        assertEquals("complete", Files.readString(f));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count());
        }
        AtomicFiles.write(f, out -> out.write("streamed".getBytes(StandardCharsets.UTF_8)));
        assertEquals("streamed", Files.readString(f));
    }
}
