package org.unmask.corpus.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.unmask.core.io.AtomicFiles;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.count.Skip;
import org.unmask.corpus.input.Shard;
import org.unmask.corpus.output.CountsJson;

/**
 * Per-shard results saved in {@code <out>/shards/}, one file per shard, written atomically when the shard is
 * finished. A checkpoint is reused only if its key matches: relative path, size, modification time and the
 * counting fingerprint (word lists, window, field, line cap). So a re-run after a crash counts every shard exactly
 * once, and a changed file or setting is recounted.
 */
final class ShardCheckpoints {
    static final String SCHEMA = "unmask.corpus-shard/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final CountingSpec spec;
    private final String fingerprint;

    ShardCheckpoints(Path outDir, CountingSpec spec) {
        this.dir = outDir.resolve("shards");
        this.spec = spec;
        this.fingerprint = spec.fingerprint();
    }

    Path fileFor(Shard s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.relative().getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(d, 0, 12) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    /** The saved result of {@code s}, if there is one with a matching key and it reads back cleanly. */
    Optional<ShardResult> load(Shard s) {
        Path f = fileFor(s);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            JsonNode k = n.path("key");
            boolean same = SCHEMA.equals(n.path("schema").asText())
                    && s.relative().equals(k.path("file").asText())
                    && s.size() == k.path("size").asLong(-1)
                    && s.modifiedMillis() == k.path("modified").asLong(-1)
                    && fingerprint.equals(k.path("fingerprint").asText());
            return same ? Optional.of(CountsJson.readShard(n.required("result"), spec.words())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable or foreign checkpoint: recount the shard
        }
    }

    /**
     * Saves {@code r} as the checkpoint of {@code s}; except a shard that could not be opened at all: fixing that
     * (a permission, a link target) need not change the key, and the next run must read the file then.
     */
    void save(Shard s, ShardResult r) throws IOException {
        if (r.skipCounts().containsKey(Skip.Reason.UNREADABLE)) {
            return;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        ObjectNode k = n.putObject("key");
        k.put("file", s.relative());
        k.put("size", s.size());
        k.put("modified", s.modifiedMillis());
        k.put("fingerprint", fingerprint);
        n.set("result", CountsJson.shard(r, spec.words()));
        AtomicFiles.write(fileFor(s), JSON.writeValueAsBytes(n));
    }
}
