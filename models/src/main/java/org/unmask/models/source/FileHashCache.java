package org.unmask.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.unmask.core.error.ModelException;
import org.unmask.core.io.AtomicFiles;

/**
 * SHA-256 of (large) model files for provenance and as the key of derived files (ONNX exports), remembered across
 * runs so that a 440 MB checkpoint is not hashed again on every load (1-2 s on two cores). An entry in
 * {@code <unmask cache>/hashes/} records the file's absolute path, size, modification time and, where the file
 * system has them, its inode and status-change time (ctime); the stored hash is reused only while all are unchanged.
 * The ctime matters because it cannot be set back: a rewrite that restores size and mtime ({@code cp -p},
 * {@code rsync -t}, {@code touch -r}) still changes it. Entries of the older format (path, size, mtime only) have
 * other names and are never read. A cache that cannot be written only costs speed.
 */
public final class FileHashCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prefix of entry names; the first format (no prefix) trusted size and mtime alone. */
    static final String FORMAT = "v2";

    private final Path dir;

    /** Uses {@link ModelResolver#defaultUnmaskCache()}. */
    public FileHashCache() {
        this(ModelResolver.defaultUnmaskCache());
    }

    /** Keeps its entries in {@code unmaskCache/hashes}. */
    public FileHashCache(Path unmaskCache) {
        this.dir = unmaskCache.toAbsolutePath().normalize().resolve("hashes");
    }

    /** Lowercase hex SHA-256 of {@code file}'s content. */
    public String sha256(Path file) throws ModelException {
        Path abs = file.toAbsolutePath().normalize();
        try {
            String stamp = stamp(abs);
            Path entry = dir.resolve(FORMAT + "-" + key(abs) + ".json");
            String known = lookup(entry, abs, stamp);
            if (known != null) {
                return known;
            }
            String sha = CheckpointManifest.sha256(abs);
            // stamp again: a file that changed while we hashed it must not be recorded
            if (stamp(abs).equals(stamp)) {
                remember(entry, abs, stamp, sha);
            }
            return sha;
        } catch (IOException e) {
            throw new ModelException(
                    "cannot read " + abs + " to hash it: " + e.getMessage(),
                    "check that the model files exist and are readable",
                    e);
        }
    }

    /**
     * Records {@code sha256} as the hash of {@code file} as it is now, for a writer that hashed the bytes while writing
     * them: its first verification then costs nothing, and any later change to the file (its stamp) makes
     * {@link #sha256} read it again.
     */
    public void record(Path file, String sha256) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        remember(dir.resolve(FORMAT + "-" + key(abs) + ".json"), abs, stamp(abs), sha256);
    }

    /**
     * What identifies this version of the file: size, mtime, and on POSIX file systems inode and ctime. (The
     * {@code unix:} attribute view is read by name; on a JDK or file system without it the stamp is size and mtime.)
     */
    static String stamp(Path file) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("size=").append(Files.size(file)).append(" mtime=").append(Files.getLastModifiedTime(file));
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:ino,ctime,dev");
            s.append(" dev=")
                    .append(unix.get("dev"))
                    .append(" ino=")
                    .append(unix.get("ino"))
                    .append(" ctime=")
                    .append(unix.get("ctime"));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // not a POSIX file system: size and mtime are all there is
        }
        return s.toString();
    }

    private static String lookup(Path entry, Path file, String stamp) {
        try {
            JsonNode e = JSON.readTree(entry.toFile());
            boolean same = e.path("path").asText("").equals(file.toString())
                    && e.path("stamp").asText("").equals(stamp);
            String sha = e.path("sha256").asText("");
            return same && sha.matches("[0-9a-f]{64}") ? sha : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void remember(Path entry, Path file, String stamp, String sha) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("path", file.toString());
            e.put("stamp", stamp);
            e.put("sha256", sha);
            AtomicFiles.write(entry, JSON.writeValueAsBytes(e));
        } catch (IOException e) {
            // an unwritable cache only means hashing again next time
        }
    }

    private static String key(Path file) {
        byte[] digest = SavedModelArchive.sha256().digest(file.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
