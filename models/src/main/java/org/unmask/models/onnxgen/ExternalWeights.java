package org.unmask.models.onnxgen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.unmask.core.error.ModelException;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.safetensors.TensorInfo;

/**
 * Declares checkpoint tensors as external initializers of a generated graph, each once: float32 ones where their bytes
 * lie in the checkpoint, so the session can supply them as memory maps ({@link MappedWeights}; no weight is copied),
 * quantised ones at their place in {@link QuantizedFile}. Shared by every exporter (BERT, decoders).
 */
final class ExternalWeights {
    private final OnnxGraph g;
    private final ShardedCheckpoint ckpt;
    private final Map<Path, String> shards = new LinkedHashMap<>();
    private final Set<String> declared = new LinkedHashSet<>();
    private final List<GraphExport.Weight> weights = new ArrayList<>();
    private final List<GraphExport.Quantized> quantized = new ArrayList<>();
    /** Where the quantised arrays declared so far end in {@link QuantizedFile#NAME}. */
    private long quantizedEnd;

    ExternalWeights(OnnxGraph g, ShardedCheckpoint ckpt) {
        this.g = g;
        this.ckpt = ckpt;
    }

    /** The graph name of tensor {@code name} (its checkpoint name), declaring it on first use. */
    String get(String name) throws ModelException {
        if (declared.contains(name)) {
            return name;
        }
        GraphExport.Weight w = source(name);
        g.externalInitializer(name, OnnxGraph.FLOAT, w.shape(), shard(w.file()), w.offset(), w.length());
        weights.add(w);
        declared.add(name);
        return name;
    }

    /**
     * The graph names of matrix {@code name} quantised for {@code MatMulNBits} ({@link NBitsWeights}): {blob, scales},
     * declared on first use as initializers in {@link QuantizedFile}. {@code transposed}: stored [in, out].
     */
    String[] quantized(String name, boolean transposed, int bits, int blockSize) throws ModelException {
        String blob = name + ".q" + bits + "b" + blockSize + (transposed ? "t" : "");
        return declare(
                name, blob, w -> new GraphExport.Quantized(w, transposed, bits, blockSize, blob, blob + ".scales"));
    }

    /**
     * Adds x [tokens, in] times checkpoint matrix {@code weight} ([out, in], or [in, out] when {@code transposed}) plus
     * {@code bias} (null: none) as a {@code MatMulNBits} over its int8 blocks of {@code blockSize} with int8 arithmetic
     * ({@code accuracy_level} 4: ONNX Runtime quantises each block of x to int8 too; it has no fast 8-bit kernel that
     * keeps x in float). Returns the output, named {@code out} (null: a fresh name). Shared by every exporter.
     */
    String matMulNBits(String out, String x, String weight, boolean transposed, String bias, int blockSize)
            throws ModelException {
        String[] q = quantized(weight, transposed, 8, blockSize);
        long[] shape = shape(weight);
        String[] in = bias == null ? new String[] {x, q[0], q[1]} : new String[] {x, q[0], q[1], "", "", get(bias)};
        OnnxGraph.Attr[] attrs = {
            OnnxGraph.Attr.i("K", shape[transposed ? 0 : 1]),
            OnnxGraph.Attr.i("N", shape[transposed ? 1 : 0]),
            OnnxGraph.Attr.i("bits", 8),
            OnnxGraph.Attr.i("block_size", blockSize),
            OnnxGraph.Attr.i("accuracy_level", 4)
        };
        return out == null ? g.contrib("MatMulNBits", in, attrs) : g.contribNamed(out, "MatMulNBits", in, attrs);
    }

    /**
     * The graph names of matrix {@code name} quantised for {@code DynamicQuantizeMatMul} ({@link ColumnInt8Weights}):
     * {blob int8 [in, out], scales float [out]}, declared on first use as initializers in {@link QuantizedFile}.
     * {@code transposed}: stored [in, out].
     */
    String[] int8Columns(String name, boolean transposed) throws ModelException {
        String blob = name + ".i8c" + (transposed ? "t" : "");
        return declare(name, blob, w -> {
            int k = Math.toIntExact(w.shape()[transposed ? 0 : 1]);
            return new GraphExport.Quantized(
                    w, transposed, GraphExport.Scheme.INT8_COLUMNS, 8, k, blob, blob + ".scales");
        });
    }

    /**
     * Declares the blob and scales of the quantised matrix {@code of} makes from checkpoint matrix {@code name}, once
     * per blob name (the scheme's layout: {@link GraphExport.Quantized#blobShape}); returns {blob, scales}.
     */
    private String[] declare(String name, String blob, Function<GraphExport.Weight, GraphExport.Quantized> of)
            throws ModelException {
        if (declared.add(blob)) {
            GraphExport.Weight w = source(name);
            if (w.shape().length != 2) {
                throw new IllegalStateException(name + " is not a matrix");
            }
            GraphExport.Quantized q = of.apply(w);
            // ONNX Runtime reads these from the file beside the graph (QuantizedFile's layout: blob then scales,
            // each aligned, in declaration order)
            int type = q.scheme() == GraphExport.Scheme.INT8_COLUMNS ? OnnxGraph.INT8 : OnnxGraph.UINT8;
            QuantizedFile.Place place = QuantizedFile.Place.after(quantizedEnd, q);
            quantizedEnd = place.end();
            g.externalInitializer(blob, type, q.blobShape(), QuantizedFile.NAME, place.blob(), q.blobBytes());
            g.externalInitializer(
                    q.scalesName(),
                    OnnxGraph.FLOAT,
                    q.scalesShape(),
                    QuantizedFile.NAME,
                    place.scales(),
                    q.scalesBytes());
            shard(w.file()); // its real path joins the cache key like a float32 weight's
            quantized.add(q);
        }
        return new String[] {blob, blob + ".scales"};
    }

    private GraphExport.Weight source(String name) throws ModelException {
        TensorInfo t = ckpt.tensor(name);
        if (t.dtype() != DType.F32 && t.dtype() != DType.F16 && t.dtype() != DType.BF16) {
            throw new ModelException(
                    ckpt.dir() + ": tensor " + name + " is " + t.dtype()
                            + "; the ONNX Runtime path reads float32, float16 and bfloat16 weights",
                    "use --backend torch");
        }
        return new GraphExport.Weight(name, ckpt.fileOf(name).path(), t.offset(), t.byteLength(), t.shape(), t.dtype());
    }

    /**
     * The location named for a shard's tensors. It only documents the shard: the session supplies the bytes (ONNX
     * Runtime never opens it, and 1.24+ would refuse a file reached through a link from outside the model's folder).
     */
    private String shard(Path file) {
        return shards.computeIfAbsent(file, f -> "weights-" + shards.size() + ".safetensors");
    }

    /** The checkpoint shape of tensor {@code name}. */
    long[] shape(String name) throws ModelException {
        return ckpt.tensor(name).shape();
    }

    /** The weights declared so far, in declaration order. */
    List<GraphExport.Weight> weights() {
        return List.copyOf(weights);
    }

    /** The matrices declared quantised so far, in declaration order. */
    List<GraphExport.Quantized> quantizedWeights() {
        return List.copyOf(quantized);
    }

    /** The checkpoint files the declared weights lie in, in first-use order. */
    Set<Path> files() {
        return shards.keySet();
    }

    /** Whether every tensor of the checkpoint is float32 (what the graph can read in place). */
    static boolean allFloat32(ShardedCheckpoint ckpt) {
        return ckpt.tensors().values().stream().allMatch(t -> t.dtype() == DType.F32);
    }

    /** Whether every tensor of the checkpoint is float32, float16 or bfloat16 (what int8 graphs can quantise from). */
    static boolean allFloatingPoint(ShardedCheckpoint ckpt) {
        return ckpt.tensors().values().stream()
                .allMatch(t -> t.dtype() == DType.F32 || t.dtype() == DType.F16 || t.dtype() == DType.BF16);
    }
}
