package org.unmask.models.onnxgen;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.unmask.core.error.ModelException;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.safetensors.TensorInfo;

/**
 * Declares checkpoint tensors as external initializers of a graph, each once, read in place from its safetensors
 * shard through a link named in {@code links} (real file to link name), so no weight is copied.
 */
final class ExternalWeights {
    private final OnnxGraph g;
    private final ShardedCheckpoint ckpt;
    private final Map<Path, String> links;
    private final Set<String> declared = new HashSet<>();

    ExternalWeights(OnnxGraph g, ShardedCheckpoint ckpt, Map<Path, String> links) {
        this.g = g;
        this.ckpt = ckpt;
        this.links = links;
    }

    /** The graph name of tensor {@code name} (its checkpoint name), declaring it on first use. */
    String get(String name) throws ModelException {
        if (declared.contains(name)) {
            return name;
        }
        TensorInfo t = ckpt.tensor(name);
        if (t.dtype() != DType.F32) {
            throw new ModelException(
                    ckpt.dir() + ": tensor " + name + " is " + t.dtype()
                            + "; the ONNX Runtime path reads float32 weights in place",
                    "use --backend torch");
        }
        Path file = ckpt.fileOf(name).path();
        String link = links.computeIfAbsent(file, f -> "weights-" + links.size() + ".safetensors");
        g.externalInitializer(name, OnnxGraph.FLOAT, t.shape(), link, t.offset(), t.byteLength());
        declared.add(name);
        return name;
    }

    /** Whether every tensor of the checkpoint is float32 (what the graph can read in place). */
    static boolean allFloat32(ShardedCheckpoint ckpt) {
        return ckpt.tensors().values().stream().allMatch(t -> t.dtype() == DType.F32);
    }
}
