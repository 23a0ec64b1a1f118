package org.unmask.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes output files so readers never see half of one: the bytes go to a temporary file in the same folder, which
 * is then renamed over the target in one step. The file gets the permissions of ordinary output ({@code rw-r--r--}
 * where the file system has POSIX permissions), not the private mode of a temporary file. The one implementation
 * for every module (reports, corpus statistics and checkpoints).
 */
public final class AtomicFiles {
    /** Permissions of a written file: outputs are meant to be shared like any other output. */
    public static final String PERMISSIONS = "rw-r--r--";

    private AtomicFiles() {}

    /** Writes {@code text} as UTF-8. */
    public static void write(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code target} (creating its folder if needed) with {@code bytes}, atomically where possible. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** What streams a file's bytes (for files too large to hold in memory). */
    @FunctionalInterface
    public interface Content {
        /** Writes the bytes to {@code out}; the stream is closed by the caller. */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} (creating its folder if needed) with the bytes {@code content} writes, atomically where
     * possible; if {@code content} fails, the target is left as it was and no temporary file remains.
     */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // createTempFile makes the file private (0600); the rename would carry that mode to the target
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(PERMISSIONS));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // some file systems (e.g. certain network mounts) cannot rename atomically; a plain replace is the
                // best they offer
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
