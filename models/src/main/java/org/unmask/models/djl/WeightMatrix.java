package org.unmask.models.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;

/**
 * One 2-D weight of a checkpoint as the forward pass uses it (a linear layer's matrix, an embedding table, a
 * tied LM head), in the form its {@link org.unmask.models.Precision} holds it: float32, float16, or int8 with a
 * float16 power-of-two scale per output channel. Inputs and outputs are float32 in every form; in float32 each
 * operation is exactly the one the decoders ran before reduced precisions existed.
 */
public final class WeightMatrix {
    private final NDArray w;
    private final NDArray scale;

    private WeightMatrix(NDArray w, NDArray scale) {
        this.w = w;
        this.scale = scale;
    }

    /** A float32 or float16 matrix. */
    static WeightMatrix of(NDArray w) {
        return new WeightMatrix(w, null);
    }

    /**
     * An int8 matrix and its float16 scales, shaped to broadcast over it ([rows, 1] when output channels are rows,
     * [1, columns] when they are columns).
     */
    static WeightMatrix quantised(NDArray q, NDArray scale) {
        return new WeightMatrix(q, scale);
    }

    /** The float32 array itself (a float32 matrix only; e.g. for code that has no reduced-precision path). */
    public NDArray array() {
        if (w.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException(w.getName() + " is held as " + w.getDataType() + ", not float32");
        }
        return w;
    }

    /** Element type the matrix is held in. */
    public DataType dataType() {
        return w.getDataType();
    }

    /** nn.Linear: x [.., in] times this [out, in] transposed, plus an optional float32 bias [out]. */
    public NDArray linear(NDArray x, NDArray bias) {
        if (w.getDataType() == DataType.FLOAT32) {
            return bias == null
                    ? Linear.linear(x, w).head()
                    : Linear.linear(x, w, bias).head();
        }
        NDArray y =
                Linear.linear(x.toType(DataType.FLOAT16, false), half(x)).head().toType(DataType.FLOAT32, false);
        return bias == null ? y : y.add(bias);
    }

    /** GPT-2's Conv1D: x [.., in] times this [in, out], plus a float32 bias [out]. */
    public NDArray matMul(NDArray x, NDArray bias) {
        if (w.getDataType() == DataType.FLOAT32) {
            return x.matMul(w).add(bias);
        }
        return x.toType(DataType.FLOAT16, false)
                .matMul(half(x))
                .toType(DataType.FLOAT32, false)
                .add(bias);
    }

    /** Rows {@code ids} of this table (an embedding lookup), as float32. */
    public NDArray embed(NDArray ids) {
        NDArray rows =
                ids.getNDArrayInternal().embedding(ids, w, SparseFormat.DENSE).head();
        if (w.getDataType() == DataType.FLOAT32) {
            return rows;
        }
        if (scale == null) {
            return rows.toType(DataType.FLOAT32, false);
        }
        NDArray rowScale = ids.getNDArrayInternal()
                .embedding(ids, scale, SparseFormat.DENSE)
                .head()
                .toType(DataType.FLOAT32, false);
        return rows.toType(DataType.FLOAT32, false).mul(rowScale);
    }

    /**
     * The matrix as float16: itself, or for int8 the dequantised product (exact: a power-of-two scale times an
     * integer of at most 7 bits is a float16), made for one product and attached to the manager of the input
     * {@code x}, so it is freed with the caller's step, never kept by the model.
     */
    private NDArray half(NDArray x) {
        if (scale == null) {
            return w;
        }
        NDArray h;
        try (NDArray wide = w.toType(DataType.FLOAT16, false)) {
            h = wide.mul(scale);
        }
        h.attach(x.getManager());
        return h;
    }
}
