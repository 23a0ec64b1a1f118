package org.unmask.models.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.unmask.core.error.ModelException;
import org.unmask.models.source.FileHashCache;

/** SHA-256 of model files, for provenance. */
public final class FileHashes {
    private FileHashes() {}

    /**
     * SHA-256 of a model's weights: of {@code model.safetensors}, or for a sharded checkpoint of the
     * index file followed by every shard's hash in name order.
     */
    public static String weightsSha256(Path dir) throws ModelException {
        Path single = dir.resolve("model.safetensors");
        if (Files.isRegularFile(single)) {
            return sha256(single);
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            List<Path> shards = files.filter(
                            p -> p.getFileName().toString().matches("model-\\d+-of-\\d+\\.safetensors"))
                    .sorted()
                    .toList();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(sha256(dir.resolve("model.safetensors.index.json")).getBytes(StandardCharsets.US_ASCII));
            for (Path s : shards) {
                md.update(sha256(s).getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelException("cannot list " + dir + ": " + e.getMessage(), "check the folder's permissions");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }

    /** Records the SHA-256 a writer computed of {@code file} while writing it ({@link FileHashCache#record}). */
    public static void record(Path file, String sha256) throws IOException {
        new FileHashCache().record(file, sha256);
    }

    /** SHA-256 of a file, remembered by path, size and mtime so a checkpoint is hashed once, not per load. */
    public static String sha256(Path file) throws ModelException {
        return new FileHashCache().sha256(file);
    }
}
