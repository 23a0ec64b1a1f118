package org.unmask.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.unmask.core.error.ModelException;

/**
 * SHA-256 of (large) model files for provenance, remembered across runs so that a 440 MB checkpoint is not hashed
 * again on every load (1-2 s on two cores). An entry in {@code <unmask cache>/hashes/} records the file's absolute
 * path, size and modification time; the stored hash is reused only while all three are unchanged. Like make and
 * rsync, this trusts that a rewrite changes the size or mtime. A cache that cannot be written only costs speed.
 */
public final class FileHashCache {
    private static final ObjectMapper JSON = new ObjectMapper();

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
            long size = Files.size(abs);
            String mtime = Files.getLastModifiedTime(abs).toString();
            Path entry = dir.resolve(key(abs) + ".json");
            String known = lookup(entry, abs, size, mtime);
            if (known != null) {
                return known;
            }
            String sha = CheckpointManifest.sha256(abs);
            // re-read size and mtime: a file that changed while we hashed it must not be recorded
            if (Files.size(abs) == size && Files.getLastModifiedTime(abs).toString().equals(mtime)) {
                remember(entry, abs, size, mtime, sha);
            }
            return sha;
        } catch (IOException e) {
            throw new ModelException("cannot read " + abs + " to hash it: " + e.getMessage(),
                    "check that the model files exist and are readable", e);
        }
    }

    private static String lookup(Path entry, Path file, long size, String mtime) {
        try {
            JsonNode e = JSON.readTree(entry.toFile());
            boolean same = e.path("path").asText("").equals(file.toString()) && e.path("size").asLong(-1) == size
                    && e.path("mtime").asText("").equals(mtime);
            String sha = e.path("sha256").asText("");
            return same && sha.matches("[0-9a-f]{64}") ? sha : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void remember(Path entry, Path file, long size, String mtime, String sha) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("path", file.toString());
            e.put("size", size);
            e.put("mtime", mtime);
            e.put("sha256", sha);
            Path temp = Files.createTempFile(dir, entry.getFileName().toString(), ".tmp");
            try {
                JSON.writeValue(temp.toFile(), e);
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // an unwritable cache only means hashing again next time
        }
    }

    private static String key(Path file) {
        byte[] digest = SavedModelArchive.sha256().digest(file.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
