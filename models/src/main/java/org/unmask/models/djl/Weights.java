package org.unmask.models.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.unmask.core.error.ModelException;
import org.unmask.models.Precision;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.HalfPrecision;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.safetensors.TensorInfo;

/** Named weight tensors of one checkpoint, held in a manager that lives as long as the model. */
public final class Weights {
    /** Bytes read from the checkpoint per call while converting (a multiple of every element size). */
    private static final int CHUNK_BYTES = 8 << 20;
    /** Largest magnitude both reduced forms hold: the largest bfloat16 below float16's maximum. */
    private static final float HALF_RANGE = 65280f;
    /** float16's smallest subnormal: the smallest power-of-two int8 scale that float16 holds exactly. */
    private static final float MIN_SCALE = 0x1p-24f;

    private final Map<String, NDArray> byName;
    private final Map<String, NDArray> scales;
    private final Path source;

    private Weights(Map<String, NDArray> byName, Map<String, NDArray> scales, Path source) {
        this.byName = byName;
        this.scales = scales;
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
        return new Weights(map, Map.of(), checkpoint.dir());
    }

    /**
     * As {@link #load(NDManager, ShardedCheckpoint)}, with every 2-D tensor (the matrices and embedding tables)
     * held as {@code precision} says; other tensors (norms, biases) stay float32. Reduced precisions stream each
     * matrix from the files with plain reads through one reusable buffer into its final form, so no tensor is ever
     * widened in native memory and peak memory is the reduced model plus one matrix. A matrix with a magnitude
     * above 65280 stays float32 (float16 cannot hold it); NaN or infinity in a weight is a {@link ModelException}.
     *
     * @param columnChannels the 2-D tensors stored [in, out] (GPT-2's Conv1D), whose output channels are columns
     */
    public static Weights load(
            NDManager manager, ShardedCheckpoint checkpoint, Precision precision, Predicate<String> columnChannels)
            throws ModelException {
        if (precision == Precision.FP32) {
            return load(manager, checkpoint);
        }
        Map<String, NDArray> map = new LinkedHashMap<>();
        Map<String, NDArray> scales = new HashMap<>();
        long largest = 0;
        for (TensorInfo t : checkpoint.tensors().values()) {
            largest = t.rank() == 2 ? Math.max(largest, t.numel()) : largest;
        }
        int perElement = precision == Precision.INT8 ? 1 : 2;
        if (largest * perElement > Integer.MAX_VALUE - 8) {
            throw new ModelException(
                    checkpoint.dir() + ": a matrix of " + largest + " elements is too large to convert",
                    "run this model with --precision fp32");
        }
        Converter c = new Converter(
                checkpoint,
                ByteBuffer.allocateDirect((int) (largest * perElement)).order(ByteOrder.nativeOrder()),
                ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN));
        try {
            for (TensorInfo t : checkpoint.tensors().values()) {
                if (!t.dtype().isFloatingPoint()) {
                    continue;
                }
                NDArray a = null;
                if (t.rank() == 2 && precision == Precision.BF16) {
                    a = c.half(manager, t);
                } else if (t.rank() == 2) {
                    NDArray[] qs = c.int8(manager, t, columnChannels.test(t.name()));
                    if (qs != null) {
                        a = qs[0];
                        qs[1].setName(t.name() + ".scale");
                        scales.put(t.name(), qs[1]);
                    }
                }
                if (a == null) { // not a matrix, or one float16 cannot hold
                    a = t.dtype() == DType.F32
                            ? manager.create(checkpoint.buffer(t.name()).asFloatBuffer(), new Shape(t.shape()))
                            : manager.create(checkpoint.readFloats(t.name()), new Shape(t.shape()));
                }
                a.setName(t.name());
                map.put(t.name(), a);
            }
        } catch (RuntimeException e) {
            throw new ModelException(
                    checkpoint.dir() + ": cannot load the weights into libtorch: " + e.getMessage(),
                    "the checkpoint may be corrupt; restore or re-convert it");
        }
        return new Weights(map, scales, checkpoint.dir());
    }

    /** A required 2-D tensor in the form its precision holds it. */
    public WeightMatrix matrix(String name) throws ModelException {
        NDArray a = get(name);
        NDArray scale = scales.get(name);
        return scale == null ? WeightMatrix.of(a) : WeightMatrix.quantised(a, scale);
    }

    /** Streams tensors out of a checkpoint into reduced forms through one output and one read buffer. */
    private static final class Converter {
        private final ShardedCheckpoint checkpoint;
        private final ByteBuffer out;
        private final ByteBuffer chunk;

        Converter(ShardedCheckpoint checkpoint, ByteBuffer out, ByteBuffer chunk) {
            this.checkpoint = checkpoint;
            this.out = out;
            this.chunk = chunk;
        }

        /** The tensor rounded to bfloat16 and held as float16, or null when float16 cannot hold it. */
        NDArray half(NDManager manager, TensorInfo t) throws ModelException {
            out.clear();
            boolean[] fits = {true};
            forEach(t, (i, v) -> {
                short h = HalfPrecision.floatToF16(HalfPrecision.roundToBf16(v));
                fits[0] &= Math.abs(v) <= HALF_RANGE;
                out.putShort((int) (2 * i), h);
            });
            return fits[0] ? copyIn(manager, out, 2 * t.numel(), new Shape(t.shape()), DataType.FLOAT16) : null;
        }

        /**
         * The tensor quantised per output channel (rows, or columns for {@code columns}): {@code q = rint(w / s)}
         * with s the power of two at or above max|w| / 127, so q fits [-127, 127] and s a float16 exactly.
         * Returns {int8 values, float16 scales shaped to broadcast}, or null when float16 cannot hold a channel.
         */
        NDArray[] int8(NDManager manager, TensorInfo t, boolean columns) throws ModelException {
            long cols = t.dim(1);
            int channels = (int) (columns ? cols : t.dim(0));
            float[] max = new float[channels];
            forEach(t, (i, v) -> {
                int ch = (int) (columns ? i % cols : i / cols);
                max[ch] = Math.max(max[ch], Math.abs(v));
            });
            float[] scale = new float[channels];
            for (int ch = 0; ch < channels; ch++) {
                if (max[ch] > HALF_RANGE) {
                    return null;
                }
                float s = max[ch] / 127f;
                int e = s <= MIN_SCALE ? -24 : Math.getExponent(s) + (s == Math.scalb(1f, Math.getExponent(s)) ? 0 : 1);
                scale[ch] = Math.scalb(1f, Math.max(-24, e));
            }
            out.clear();
            forEach(t, (i, v) -> {
                float s = scale[(int) (columns ? i % cols : i / cols)];
                out.put((int) i, (byte) Math.max(-127, Math.min(127, Math.rint(v / s))));
            });
            NDArray q = copyIn(manager, out, t.numel(), new Shape(t.shape()), DataType.INT8);
            ByteBuffer bits = ByteBuffer.allocateDirect(2 * channels).order(ByteOrder.nativeOrder());
            for (int ch = 0; ch < channels; ch++) {
                bits.putShort(2 * ch, HalfPrecision.floatToF16(scale[ch]));
            }
            Shape shape = columns ? new Shape(1, channels) : new Shape(channels, 1);
            return new NDArray[] {q, copyIn(manager, bits, 2L * channels, shape, DataType.FLOAT16)};
        }

        private interface Sink {
            void accept(long index, float value);
        }

        /** Calls {@code sink} for every element in order, decoded to float; NaN or infinity is an error. */
        private void forEach(TensorInfo t, Sink sink) throws ModelException {
            DType type = t.dtype();
            int size = type.byteSize();
            long index = 0;
            for (long from = 0; from < t.byteLength(); ) {
                chunk.clear();
                int n = checkpoint.read(t.name(), from, chunk);
                chunk.flip();
                for (int k = 0; k < n / size; k++) {
                    float v = switch (type) {
                        case F32 -> chunk.getFloat();
                        case F16 -> HalfPrecision.f16ToFloat(chunk.getShort());
                        case BF16 -> HalfPrecision.bf16ToFloat(chunk.getShort());
                        case F64 -> (float) chunk.getDouble();
                        default -> throw new IllegalStateException("not a float type: " + type);
                    };
                    if (!Float.isFinite(v)) {
                        throw new ModelException(
                                checkpoint.dir() + ": tensor \"" + t.name() + "\" holds " + v + " at element " + index,
                                "the checkpoint is corrupt or was saved after training diverged");
                    }
                    sink.accept(index++, v);
                }
                from += n;
            }
        }

        /**
         * A libtorch copy of the first {@code bytes} of a direct buffer. DJL's array over a direct buffer aliases
         * it, so the alias is cloned into libtorch's own memory and closed, and the buffer can be reused.
         */
        private static NDArray copyIn(NDManager manager, ByteBuffer buffer, long bytes, Shape shape, DataType type) {
            ByteBuffer view = buffer.duplicate().order(buffer.order());
            view.clear().limit((int) bytes);
            try (NDArray alias = manager.create(view, shape, type)) {
                return alias.duplicate();
            }
        }
    }

    /**
     * Tensors already in memory (e.g. a model being trained), by HF name; kept by reference, not copied.
     *
     * @param source where they came from, for error messages
     */
    public static Weights of(Map<String, NDArray> byName, Path source) {
        return new Weights(byName, Map.of(), source);
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
