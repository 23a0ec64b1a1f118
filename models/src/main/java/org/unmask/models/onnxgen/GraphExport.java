package org.unmask.models.onnxgen;

import java.nio.file.Path;
import java.util.List;

/**
 * A generated graph in the export cache and the weights a session must supply for it ({@link MappedWeights}): the
 * cache folder holds only {@code model.onnx}, whose external initializers name checkpoint bytes the session maps.
 */
public record GraphExport(Path model, List<Weight> weights) {
    public GraphExport {
        weights = List.copyOf(weights);
    }

    /** A weight the graph declares as external: where its float32 bytes lie in a checkpoint file. */
    public record Weight(String name, Path file, long offset, long length, long[] shape) {}
}
