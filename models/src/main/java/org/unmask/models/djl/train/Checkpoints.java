package org.unmask.models.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.unmask.core.error.ModelException;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.SafetensorsFile;
import org.unmask.models.safetensors.SafetensorsWriter;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;

/**
 * Training checkpoints in a folder: {@code step-NNNNNNNN/} holding {@code model.safetensors} (every tensor by HF
 * name), {@code optimizer.safetensors} ({@code m.<name>}, {@code v.<name>}), {@code state.json} (steps, settings
 * fingerprint, loss history) and a {@code COMPLETE} marker written last.
 *
 * <p>A checkpoint is assembled in a hidden temporary folder and renamed into place in one atomic move, so an
 * interrupted run leaves either a complete checkpoint or a temporary folder that {@link #latest} ignores (and
 * {@link #save} cleans up); never a half-written {@code step-*} folder. Random state needs no saving: every draw
 * is derived from (seed, position in the run) by {@link Seeds}. Only the newest {@code keep} checkpoints stay.
 */
public final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMPLETE = "COMPLETE";

    private final Path dir;
    private final int keep;

    public Checkpoints(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    /**
     * Saved training state besides the tensors.
     *
     * @param step optimizer steps completed
     * @param settingsFingerprint hash of everything that must match for a resume to be exact
     * @param losses mean loss of every completed optimizer step
     * @param tokensSeen real tokens consumed so far
     */
    public record State(long step, String settingsFingerprint, List<Double> losses, long tokensSeen) {
        public State {
            losses = List.copyOf(losses);
        }
    }

    /** Writes a checkpoint of {@code model} and {@code optimizer} after {@code state.step()} steps. */
    public Path save(TrainableModel model, AdamW optimizer, State state) throws IOException {
        Files.createDirectories(dir);
        cleanTemporaries();
        String name = String.format("step-%08d", state.step());
        Path tmp = Files.createTempDirectory(dir, "." + name + ".tmp-");
        try {
            writeTensors(tmp.resolve("model.safetensors"), model.all(), Map.of("producer", "unmask finetune"));
            Map<String, NDArray> opt = new LinkedHashMap<>();
            optimizer.firstMoments().forEach((k, a) -> opt.put("m." + k, a));
            optimizer.secondMoments().forEach((k, a) -> opt.put("v." + k, a));
            writeTensors(tmp.resolve("optimizer.safetensors"), opt, Map.of("step", Long.toString(optimizer.step())));
            writeAtomically(
                    tmp.resolve("state.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            writeAtomically(tmp.resolve(COMPLETE), new byte[0]);
            fsyncDir(tmp);
            Path target = dir.resolve(name);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            fsyncDir(dir);
            prune();
            return target;
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latest() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return complete().stream().max(Comparator.comparing(p -> p.getFileName().toString()));
    }

    /** Reads the state of a checkpoint. */
    public static State readState(Path checkpoint) throws IOException {
        return JSON.readValue(checkpoint.resolve("state.json").toFile(), State.class);
    }

    /** Loads weights and optimizer moments of {@code checkpoint} into {@code model} and {@code optimizer}. */
    public static void restore(Path checkpoint, TrainableModel model, AdamW optimizer, NDManager scratch)
            throws ModelException {
        try (SafetensorsFile f = SafetensorsFile.open(checkpoint.resolve("model.safetensors"))) {
            for (Map.Entry<String, NDArray> e : model.all().entrySet()) {
                NDArray target = e.getValue();
                target.set(copy(f.buffer(e.getKey())));
            }
        }
        Map<String, NDArray> m = new LinkedHashMap<>();
        Map<String, NDArray> v = new LinkedHashMap<>();
        long step;
        try (SafetensorsFile f = SafetensorsFile.open(checkpoint.resolve("optimizer.safetensors"))) {
            step = Long.parseLong(f.metadata().getOrDefault("step", "0"));
            for (String name : f.tensors().keySet()) {
                var info = f.tensor(name);
                NDArray a = scratch.create(copy(f.buffer(name)), new Shape(info.shape()), dataType(info.dtype()));
                (name.startsWith("m.") ? m : v).put(name.substring(2), a);
            }
        }
        optimizer.restore(m, v, step);
    }

    private List<Path> complete() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().startsWith("step-") && Files.isRegularFile(p.resolve(COMPLETE))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private void prune() throws IOException {
        List<Path> all = new ArrayList<>(complete());
        all.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i));
        }
    }

    private void cleanTemporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().startsWith(".step-")) {
                    deleteTree(p);
                }
            }
        }
    }

    /** Writes named tensors as one safetensors file (atomically, by the writer's own temp-and-move). */
    static void writeTensors(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            specs.add(new TensorSpec(
                    e.getKey(),
                    dtype(e.getValue().getDataType()),
                    e.getValue().getShape().getShape()));
        }
        try (SafetensorsWriter w = SafetensorsWriter.create(file, specs, metadata)) {
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                w.write(e.getKey(), e.getValue().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
            }
            w.commit();
        }
    }

    private static DType dtype(DataType t) {
        return switch (t) {
            case FLOAT32 -> DType.F32;
            case FLOAT64 -> DType.F64;
            default -> throw new IllegalArgumentException("cannot checkpoint dtype " + t);
        };
    }

    private static DataType dataType(DType t) {
        return switch (t) {
            case F32 -> DataType.FLOAT32;
            case F64 -> DataType.FLOAT64;
            default -> throw new IllegalArgumentException("unexpected checkpoint dtype " + t);
        };
    }

    private static ByteBuffer copy(ByteBuffer src) {
        ByteBuffer b = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(src.duplicate());
        b.flip();
        return b;
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void fsyncDir(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open folders for sync; the rename is still atomic
        }
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
