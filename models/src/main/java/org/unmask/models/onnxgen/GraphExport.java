package org.unmask.models.onnxgen;

import java.nio.file.Path;
import java.util.List;

/**
 * A generated graph in the export cache and the weights a session must supply for it ({@link MappedWeights}): the
 * cache folder holds only {@code model.onnx}, whose external initializers name checkpoint bytes the session maps
 * ({@link #weights}) or quantises from the mapped bytes when it opens ({@link #quantized}).
 */
public record GraphExport(Path model, List<Weight> weights, List<Quantized> quantized) {
    public GraphExport {
        weights = List.copyOf(weights);
        quantized = List.copyOf(quantized);
    }

    /** A graph over float32 weights read in place only. */
    public GraphExport(Path model, List<Weight> weights) {
        this(model, weights, List.of());
    }

    /** A weight the graph declares as external: where its float32 bytes lie in a checkpoint file. */
    public record Weight(String name, Path file, long offset, long length, long[] shape) {}

    /**
     * A float32 matrix of the checkpoint the graph reads as ONNX Runtime's {@code MatMulNBits} operands
     * {@code blobName} (uint8 [n, k / block, block * bits / 8]) and {@code scalesName} (float [n, k / block]), built
     * by {@link NBitsWeights} when the session opens. {@code transposed}: the checkpoint stores it [k, n] (GPT-2's
     * Conv1D) rather than [n, k] (nn.Linear, tied embeddings).
     */
    public record Quantized(
            Weight source, boolean transposed, int bits, int blockSize, String blobName, String scalesName) {
        /** Output features. */
        public long n() {
            return source.shape()[transposed ? 1 : 0];
        }

        /** Input features (the reduced axis). */
        public long k() {
            return source.shape()[transposed ? 0 : 1];
        }

        /** Blocks along k, the last one zero-padded. */
        public long blocks() {
            return (k() + blockSize - 1) / blockSize;
        }
    }
}
