package org.unmask.models.onnxgen;

import java.nio.file.Path;
import java.util.List;
import org.unmask.models.safetensors.DType;

/**
 * A generated graph in the export cache and the weights it reads: its float32 external initializers name checkpoint
 * bytes the session supplies as maps ({@link #weights}, {@link MappedWeights}); its quantised matrices
 * ({@link #quantized}) lie in {@link QuantizedFile#NAME} beside {@code model.onnx}, built from the checkpoint once
 * ({@link QuantizedFile#ensure}) and read by ONNX Runtime itself, which maps that file, packs each matrix for its
 * kernel and unmaps it, so no second copy stays resident.
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

    /**
     * A weight the graph declares as external: where its bytes lie in a checkpoint file and their element type
     * (float32 is handed to the session in place; float16/bfloat16 is widened when the session opens, or quantised
     * into {@link QuantizedFile}).
     */
    public record Weight(String name, Path file, long offset, long length, long[] shape, DType dtype) {
        /** A float32 weight. */
        public Weight(String name, Path file, long offset, long length, long[] shape) {
            this(name, file, offset, length, shape, DType.F32);
        }
    }

    /** How a {@link Quantized} matrix is laid out for the operator that reads it; one quantiser per scheme. */
    public enum Scheme {
        /**
         * {@code MatMulNBits}: blob uint8 [n, k / block, block * bits / 8], scales float [n, k / block], symmetric per
         * block with the operator's default zero point ({@link NBitsWeights}).
         */
        NBITS_BLOCKS,
        /**
         * {@code DynamicQuantizeMatMul}: blob int8 [k, n] (the operator's B, already transposed), scales float [n],
         * symmetric per output column, no zero point ({@link ColumnInt8Weights}).
         */
        INT8_COLUMNS
    }

    /**
     * A float32 matrix of the checkpoint the graph reads quantised, as operands {@code blobName} and {@code scalesName}
     * laid out by {@code scheme}, stored in {@link QuantizedFile#NAME}. {@code transposed}: the checkpoint stores it
     * [k, n] (GPT-2's Conv1D) rather than [n, k] (nn.Linear, tied embeddings). {@code bits} and {@code blockSize}: of
     * {@link Scheme#NBITS_BLOCKS}; {@link Scheme#INT8_COLUMNS} is 8 bits with one block of k per column.
     */
    public record Quantized(
            Weight source,
            boolean transposed,
            Scheme scheme,
            int bits,
            int blockSize,
            String blobName,
            String scalesName) {
        /** A {@link Scheme#NBITS_BLOCKS} matrix. */
        public Quantized(
                Weight source, boolean transposed, int bits, int blockSize, String blobName, String scalesName) {
            this(source, transposed, Scheme.NBITS_BLOCKS, bits, blockSize, blobName, scalesName);
        }

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

        /** The blob's shape as the graph declares it. */
        public long[] blobShape() {
            return switch (scheme) {
                case NBITS_BLOCKS -> new long[] {n(), blocks(), (long) blockSize * bits / 8};
                case INT8_COLUMNS -> new long[] {k(), n()};
            };
        }

        /** Bytes of the blob (one per int8 weight; a 4-bit blob packs two weights a byte). */
        public long blobBytes() {
            long p = 1;
            for (long d : blobShape()) {
                p = Math.multiplyExact(p, d);
            }
            return p;
        }

        /** Bytes of the float32 scales. */
        public long scalesBytes() {
            long p = 4;
            for (long d : scalesShape()) {
                p = Math.multiplyExact(p, d);
            }
            return p;
        }

        /** The scales' shape as the graph declares it. */
        public long[] scalesShape() {
            return switch (scheme) {
                case NBITS_BLOCKS -> new long[] {n(), blocks()};
                case INT8_COLUMNS -> new long[] {n()};
            };
        }
    }
}
