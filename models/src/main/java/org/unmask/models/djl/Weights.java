package org.unmask.models.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.unmask.core.error.ModelException;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.safetensors.TensorInfo;

/** Named weight tensors of one checkpoint, held in a manager that lives as long as the model. */
public final class Weights {
    private final Map<String, NDArray> byName;
    private final Path source;

    private Weights(Map<String, NDArray> byName, Path source) {
        this.byName = byName;
        this.source = source;
    }

    /**
     * Copies every floating-point tensor of a checkpoint (single file or shards, F32/F16/BF16) into
     * {@code manager} as float32. The files are memory-mapped, so no checkpoint-sized heap copy is made.
     */
    public static Weights load(NDManager manager, ShardedCheckpoint checkpoint) throws ModelException {
        Map<String, NDArray> map = new LinkedHashMap<>();
        try {
            for (TensorInfo t : checkpoint.tensors().values()) {
                if (!t.dtype().isFloatingPoint()) {
                    continue; // e.g. position_ids buffers some exports carry
                }
                Shape shape = new Shape(t.shape());
                NDArray a = t.dtype() == DType.F32
                        ? manager.create(checkpoint.buffer(t.name()).asFloatBuffer(), shape, DataType.FLOAT32)
                        : manager.create(checkpoint.readFloats(t.name()), shape);
                a.setName(t.name());
                map.put(t.name(), a);
            }
        } catch (RuntimeException e) {
            throw new ModelException(
                    checkpoint.dir() + ": cannot load the weights into libtorch: " + e.getMessage(),
                    "the checkpoint may be corrupt; restore or re-convert it");
        }
        return new Weights(map, checkpoint.dir());
    }

    /**
     * Tensors already in memory (e.g. a model being trained), by HF name; kept by reference, not copied.
     *
     * @param source where they came from, for error messages
     */
    public static Weights of(Map<String, NDArray> byName, Path source) {
        return new Weights(byName, source);
    }

    /** A required tensor. */
    public NDArray get(String name) throws ModelException {
        NDArray a = byName.get(name);
        if (a == null) {
            throw new ModelException(
                    source + ": tensor \"" + name + "\" is missing",
                    "the checkpoint does not match its config.json architecture");
        }
        return a;
    }

    /** A tensor that may be absent (e.g. a decoder tied to the embeddings). */
    public NDArray find(String name) {
        return byName.get(name);
    }

    /** The checkpoint folder the tensors were read from. */
    public Path source() {
        return source;
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** Tries a name with and without a model prefix such as {@code bert.}. */
    public NDArray get(String prefix, String name) throws ModelException {
        NDArray a = byName.get(prefix + name);
        return a != null ? a : get(name);
    }
}
