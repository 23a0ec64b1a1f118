package org.unmask.models.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.unmask.core.error.ModelException;

/** Named weight tensors of one checkpoint, held in a manager that lives as long as the model. */
public final class Weights {
    private final Map<String, NDArray> byName;
    private final Path source;

    private Weights(Map<String, NDArray> byName, Path source) {
        this.byName = byName;
        this.source = source;
    }

    /** Reads every tensor of {@code model.safetensors} into {@code manager}, as float32. */
    public static Weights load(NDManager manager, Path file) throws ModelException {
        Map<String, NDArray> map = new LinkedHashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            for (NDArray a : NDList.decode(manager, in)) {
                NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
                f.setName(a.getName());
                map.put(a.getName(), f);
            }
        } catch (IOException | RuntimeException e) {
            throw new ModelException(file + ": cannot read the weights: " + e.getMessage(),
                    "the file may be truncated or corrupt; restore or re-convert it");
        }
        return new Weights(map, file);
    }

    /** A required tensor. */
    public NDArray get(String name) throws ModelException {
        NDArray a = byName.get(name);
        if (a == null) {
            throw new ModelException(source + ": tensor \"" + name + "\" is missing",
                    "the checkpoint does not match its config.json architecture");
        }
        return a;
    }

    /** A tensor that may be absent (e.g. a decoder tied to the embeddings). */
    public NDArray find(String name) {
        return byName.get(name);
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
