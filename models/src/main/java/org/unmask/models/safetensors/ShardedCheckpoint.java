package org.unmask.models.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.unmask.core.error.ModelException;

/**
 * The weights of one model folder as a single name → tensor view, whether stored in one {@code model.safetensors}
 * or split into shards listed by {@code model.safetensors.index.json} (its {@code weight_map} names, for each
 * tensor, the shard file that holds it). Every shard is opened and validated up front, and every tensor the index
 * promises must be present in its shard. Thread-safe once opened.
 */
public final class ShardedCheckpoint implements AutoCloseable {
    /** The single-file weights name used by Hugging Face. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The shard index name used by Hugging Face. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final String CORRUPT_INDEX_HINT = "the index is corrupt; delete the model folder and re-download it";

    private final Path dir;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> owner;
    private final Map<String, TensorInfo> tensors;

    private ShardedCheckpoint(Path dir, List<SafetensorsFile> files, Map<String, SafetensorsFile> owner) {
        this.dir = dir;
        this.files = files;
        this.owner = owner;
        Map<String, TensorInfo> all = new LinkedHashMap<>();
        for (Map.Entry<String, SafetensorsFile> e : owner.entrySet()) {
            all.put(e.getKey(), e.getValue().tensors().get(e.getKey()));
        }
        this.tensors = Collections.unmodifiableMap(all);
    }

    /**
     * Opens the weights in {@code modelDir}: the shard index when present, else {@code model.safetensors}. A
     * {@code .safetensors} file may also be given directly.
     */
    public static ShardedCheckpoint open(Path modelDir) throws ModelException {
        if (Files.isRegularFile(modelDir) && modelDir.getFileName().toString().endsWith(".safetensors")) {
            return single(modelDir.toAbsolutePath().getParent(), modelDir);
        }
        Path index = modelDir.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return sharded(modelDir, index);
        }
        Path single = modelDir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return single(modelDir, single);
        }
        throw new ModelException(
                "no safetensors weights in " + modelDir + " (looked for " + SINGLE_FILE + " and " + INDEX_FILE + ")",
                "Unmask reads only safetensors weights; convert pytorch_model.bin with "
                        + "transformers' save_pretrained(safe_serialization=True)");
    }

    private static ShardedCheckpoint single(Path dir, Path file) throws ModelException {
        SafetensorsFile st = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
        for (String name : st.tensors().keySet()) {
            owner.put(name, st);
        }
        return new ShardedCheckpoint(dir, List.of(st), owner);
    }

    private static ShardedCheckpoint sharded(Path dir, Path index) throws ModelException {
        Map<String, String> weightMap = readWeightMap(index);
        Map<String, SafetensorsFile> byFile = new LinkedHashMap<>();
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            for (String shard : new java.util.LinkedHashSet<>(weightMap.values())) {
                Path shardPath = dir.resolve(shard).normalize();
                if (!shardPath.startsWith(dir.normalize()) || shard.contains("/") || shard.contains("\\")) {
                    throw new ModelException(
                            index + ": shard name '" + shard + "' points outside the model folder", CORRUPT_INDEX_HINT);
                }
                if (!Files.isRegularFile(shardPath)) {
                    throw new ModelException(
                            "missing shard " + shard + " in " + dir + " (listed in " + INDEX_FILE + ")",
                            "the download is incomplete; download the missing shard or the whole model again");
                }
                SafetensorsFile st = SafetensorsFile.open(shardPath);
                opened.add(st);
                byFile.put(shard, st);
            }
            Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsFile st = byFile.get(e.getValue());
                if (!st.tensors().containsKey(e.getKey())) {
                    throw new ModelException(
                            index + " places tensor '" + e.getKey() + "' in " + e.getValue()
                                    + ", but that shard does not hold it",
                            CORRUPT_INDEX_HINT);
                }
                owner.put(e.getKey(), st);
            }
            return new ShardedCheckpoint(dir, List.copyOf(opened), owner);
        } catch (ModelException | RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static Map<String, String> readWeightMap(Path index) throws ModelException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(index));
        } catch (IOException e) {
            throw new ModelException("cannot read " + index + ": " + e.getMessage(), CORRUPT_INDEX_HINT, e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new ModelException(
                    index + ": field 'weight_map' is missing, empty or not an object", CORRUPT_INDEX_HINT);
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
                throw new ModelException(
                        index + ": weight_map." + e.getKey() + " is not a file name", CORRUPT_INDEX_HINT);
            }
            weightMap.put(e.getKey(), e.getValue().asText());
        }
        return weightMap;
    }

    /** The model folder. */
    public Path dir() {
        return dir;
    }

    /** The opened files (one, or the shards in index order). */
    public List<SafetensorsFile> files() {
        return files;
    }

    /** Every tensor by name across all files (unmodifiable). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** Whether a tensor called {@code name} exists. */
    public boolean contains(String name) {
        return owner.containsKey(name);
    }

    /** The tensor called {@code name}, if present. */
    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor called {@code name}; missing is a {@link ModelException}. */
    public TensorInfo tensor(String name) throws ModelException {
        return fileOf(name).tensor(name);
    }

    /** The file holding tensor {@code name}. */
    public SafetensorsFile fileOf(String name) throws ModelException {
        SafetensorsFile st = owner.get(name);
        if (st == null) {
            throw new ModelException(
                    "the checkpoint in " + dir + " has no tensor named '" + name + "'",
                    "the checkpoint does not match the expected architecture; check the model folder");
        }
        return st;
    }

    /** See {@link SafetensorsFile#readFloats}. */
    public float[] readFloats(String name) throws ModelException {
        return fileOf(name).readFloats(name);
    }

    /** See {@link SafetensorsFile#readLongs}. */
    public long[] readLongs(String name) throws ModelException {
        return fileOf(name).readLongs(name);
    }

    /** See {@link SafetensorsFile#read}. */
    public int read(String name, long from, ByteBuffer dst) throws ModelException {
        return fileOf(name).read(name, from, dst);
    }

    /** See {@link SafetensorsFile#buffer}. */
    public ByteBuffer buffer(String name) throws ModelException {
        return fileOf(name).buffer(name);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
