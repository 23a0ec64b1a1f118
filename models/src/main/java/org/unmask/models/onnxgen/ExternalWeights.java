package org.unmask.models.onnxgen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unmask.core.error.ModelException;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.safetensors.TensorInfo;

/**
 * Declares checkpoint tensors as external initializers of a generated graph, each once, and lists where their bytes
 * lie so the session can supply them as memory maps ({@link MappedWeights}); no weight is copied. Shared by every
 * exporter (BERT, decoders).
 */
final class ExternalWeights {
    private final OnnxGraph g;
    private final ShardedCheckpoint ckpt;
    private final Map<Path, String> shards = new LinkedHashMap<>();
    private final Set<String> declared = new LinkedHashSet<>();
    private final List<GraphExport.Weight> weights = new ArrayList<>();

    ExternalWeights(OnnxGraph g, ShardedCheckpoint ckpt) {
        this.g = g;
        this.ckpt = ckpt;
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
        // the location only documents the shard: the session supplies the bytes (ONNX Runtime never opens it, and
        // 1.24+ would refuse a file reached through a link from outside the model's folder)
        String shard = shards.computeIfAbsent(file, f -> "weights-" + shards.size() + ".safetensors");
        g.externalInitializer(name, OnnxGraph.FLOAT, t.shape(), shard, t.offset(), t.byteLength());
        weights.add(new GraphExport.Weight(name, file, t.offset(), t.byteLength(), t.shape()));
        declared.add(name);
        return name;
    }

    /** The weights declared so far, in declaration order. */
    List<GraphExport.Weight> weights() {
        return List.copyOf(weights);
    }

    /** The checkpoint files the declared weights lie in, in first-use order. */
    Set<Path> files() {
        return shards.keySet();
    }

    /** Whether every tensor of the checkpoint is float32 (what the graph can read in place). */
    static boolean allFloat32(ShardedCheckpoint ckpt) {
        return ckpt.tensors().values().stream().allMatch(t -> t.dtype() == DType.F32);
    }
}
