package org.unmask.models.onnxgen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import org.unmask.core.error.ModelException;

/**
 * Publishes a generated graph as a keyed cache folder holding {@code model.onnx} (the session supplies the float32
 * weights from the checkpoint itself, {@link MappedWeights}; an int8 graph's {@link QuantizedFile} joins it later,
 * published the same way), atomically: built in a temp folder, forced to disk, then
 * renamed into place, so a crash or a concurrent process never leaves a half-written export and two processes
 * building the same key agree. Shared by every exporter.
 */
final class OnnxExportFolder {
    /** Exports of crashed runs older than this are removed by the next export. */
    private static final long STALE_TEMP_MILLIS = 60 * 60 * 1000L;

    private static final String TEMP_PREFIX = ".tmp-onnx-";

    private OnnxExportFolder() {}

    /**
     * Returns {@code onnxRoot/name/model.onnx}, writing {@code graph} there first unless that file exists (the name is
     * the caller's cache key, so an existing file has the same content).
     */
    static Path publish(Path onnxRoot, String name, byte[] graph) throws ModelException {
        Path tmp = null;
        try {
            Path dir = onnxRoot.resolve(name);
            Path model = dir.resolve("model.onnx");
            if (Files.isRegularFile(model)) {
                return model;
            }
            Files.createDirectories(onnxRoot);
            deleteStaleTemps(onnxRoot, TEMP_PREFIX);
            tmp = Files.createTempDirectory(onnxRoot, TEMP_PREFIX);
            writeDurably(tmp.resolve("model.onnx"), graph);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                tmp = null;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process won the race; its export has the same key, so the same content
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cache folder does not support atomic moves", e);
            }
            return model;
        } catch (IOException e) {
            throw new ModelException(
                    "cannot write the ONNX export under " + onnxRoot + ": " + e.getMessage(),
                    "set UNMASK_CACHE to a writable folder, or use --backend torch");
        } finally {
            if (tmp != null) {
                try {
                    deleteTree(tmp);
                } catch (IOException e) {
                    // a leftover temp folder is removed by a later export (deleteStaleTemps)
                }
            }
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true); // the rename must not publish a file whose bytes are still only in memory
        }
    }

    /**
     * Removes the entries of {@code dir} named {@code prefix}… that are older than an hour: temp files or folders of
     * builds that crashed (a live build touches its temp within that time). Best effort; shared by every cache writer.
     */
    static void deleteStaleTemps(Path dir, String prefix) {
        long now = System.currentTimeMillis();
        try (var s = Files.list(dir)) {
            for (Path p :
                    s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                try {
                    if (now - Files.getLastModifiedTime(p).toMillis() > STALE_TEMP_MILLIS) {
                        deleteTree(p);
                    }
                } catch (IOException e) {
                    // another process may be removing it too
                }
            }
        } catch (IOException e) {
            // best effort: leftovers only cost disk space
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
