package org.unmask.models.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.unmask.core.error.ModelException;

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
            List<Path> shards = files.filter(p -> p.getFileName().toString().matches("model-\\d+-of-\\d+\\.safetensors"))
                    .sorted().toList();
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

    /**
     * SHA-256 of a file, remembered in the unmask cache by path, size and modification time so a
     * 440 MB checkpoint is hashed once, not on every load.
     */
    public static String sha256(Path file) throws ModelException {
        Path memo = memoFile(file);
        String stamp = stamp(file);
        if (memo != null && stamp != null) {
            try {
                List<String> lines = Files.readAllLines(memo, StandardCharsets.UTF_8);
                if (lines.size() == 2 && lines.get(0).equals(stamp)) {
                    return lines.get(1);
                }
            } catch (IOException e) {
                // no memo yet, or unreadable: hash the file
            }
        }
        String hash = hashFile(file);
        if (memo != null && stamp != null) {
            try {
                Files.createDirectories(memo.getParent());
                Path tmp = Files.createTempFile(memo.getParent(), ".memo-", ".tmp");
                Files.writeString(tmp, stamp + "\n" + hash, StandardCharsets.UTF_8);
                Files.move(tmp, memo, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // a read-only cache only costs speed
            }
        }
        return hash;
    }

    private static Path memoFile(Path file) {
        try {
            String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    file.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8)));
            return org.unmask.models.source.ModelResolver.defaultUnmaskCache().resolve("hashes").resolve(key);
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            return null;
        }
    }

    private static String stamp(Path file) {
        try {
            return Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return null;
        }
    }

    private static String hashFile(Path file) throws ModelException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), "check the file's permissions");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }
}
