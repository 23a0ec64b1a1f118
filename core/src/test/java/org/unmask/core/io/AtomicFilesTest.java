package org.unmask.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
}
