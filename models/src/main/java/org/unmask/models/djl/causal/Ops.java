package org.unmask.models.djl.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import org.unmask.models.djl.DropoutRates;
import org.unmask.models.djl.Scalars;
import org.unmask.models.djl.WeightMatrix;

/**
 * The tensor operations the decoders share, written so every result attaches to the manager of the
 * per-batch input (first operand), never to the model's weight manager.
 */
final class Ops {
    /** Additive mask value: exp of it underflows to exactly 0, and it stays finite when ALiBi is added. */
    static final float MASKED = -1e9f;

    private Ops() {}

    /** nn.Linear: x [.., in] times W [out, in] transposed, plus an optional bias. */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return b == null ? Linear.linear(x, w).head() : Linear.linear(x, w, b).head();
    }

    /** nn.Linear with the weight in whatever precision it is held. */
    static NDArray linear(NDArray x, WeightMatrix w, NDArray b) {
        return w.linear(x, b);
    }

    /** GPT-2's Conv1D: the weight is stored [in, out]. */
    static NDArray conv1d(NDArray x, WeightMatrix w, NDArray b) {
        return w.matMul(x, b);
    }

    static NDArray embed(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal()
                .embedding(ids, table, SparseFormat.DENSE)
                .head();
    }

    static NDArray layerNorm(NDArray x, NDArray w, NDArray b, float eps) {
        return LayerNorm.layerNorm(x, new Shape(x.getShape().get(x.getShape().dimension() - 1)), w, b, eps)
                .head();
    }

    /** Llama RMSNorm: x / sqrt(mean(x²) + eps) * w, in float32. */
    static NDArray rmsNorm(NDArray x, NDArray w, float eps) {
        NDArray ms = x.square().mean(new int[] {-1}, true);
        return x.div(ms.add(eps).sqrt()).mul(w);
    }

    /** The tanh approximation of GELU (HF {@code gelu_new}, BLOOM's {@code bloom_gelu_forward}). */
    static NDArray geluTanh(NDArray x) {
        NDArray inner = Scalars.mul(Scalars.mul(Scalars.pow(x, 3), 0.044715f).add(x), (float) Math.sqrt(2.0 / Math.PI));
        return Scalars.mul(inner.tanh().add(1f).mul(x), 0.5f);
    }

    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /**
     * Causal mask [T, past + T]: query i (at absolute position past + i) sees keys 0..past + i.
     */
    static NDArray causalBias(NDManager m, int length, int past) {
        return causalBias(m, length, past, 0);
    }

    /**
     * Causal mask [T, past + T] with an optional sliding window: query i (at absolute position
     * p = past + i) sees keys j with {@code p - window < j <= p}; {@code window} 0 means no window.
     */
    static NDArray causalBias(NDManager m, int length, int past, int window) {
        int keys = past + length;
        float[] bias = new float[length * keys];
        for (int i = 0; i < length; i++) {
            int p = past + i;
            for (int j = 0; j < keys; j++) {
                if (j > p || (window > 0 && j <= p - window)) {
                    bias[i * keys + j] = MASKED;
                }
            }
        }
        return m.create(bias, new Shape(length, keys));
    }

    /** [B, T, heads * dim] to [B, heads, T, dim]. */
    static NDArray splitHeads(NDArray x, int batch, int length, int heads, int dim) {
        return x.reshape(batch, length, heads, dim).transpose(0, 2, 1, 3);
    }

    /**
     * Scaled dot-product attention with grouped-query sharing: query head h reads key/value head
     * h / (heads / kvHeads), as HF's {@code repeat_kv}.
     *
     * @param q [B, heads, T, d], already scaled
     * @param k [B, kvHeads, S, d]
     * @param v [B, kvHeads, S, d]
     * @param bias broadcastable to [B, heads, T, S]
     * @return [B, T, heads * d]
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
        return attend(q, k, v, bias, 0f);
    }

    /** As {@link #attend(NDArray, NDArray, NDArray, NDArray)}, with dropout {@code drop} on the probabilities. */
    static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias, float drop) {
        Shape qs = q.getShape();
        long batch = qs.get(0);
        long heads = qs.get(1);
        long length = qs.get(2);
        long dim = qs.get(3);
        long kvHeads = k.getShape().get(1);
        NDArray ctx;
        if (kvHeads == heads) {
            NDArray probs = DropoutRates.apply(
                    q.matMul(k.transpose(0, 1, 3, 2)).add(bias).softmax(-1), drop);
            ctx = probs.matMul(v);
        } else {
            long group = heads / kvHeads;
            NDArray q5 = q.reshape(batch, kvHeads, group, length, dim);
            NDArray scores = q5.matMul(k.expandDims(2).transpose(0, 1, 2, 4, 3))
                    .reshape(batch, heads, length, k.getShape().get(2));
            NDArray probs = DropoutRates.apply(scores.add(bias).softmax(-1), drop)
                    .reshape(batch, kvHeads, group, length, k.getShape().get(2));
            ctx = probs.matMul(v.expandDims(2)).reshape(batch, heads, length, dim);
        }
        return ctx.transpose(0, 2, 1, 3).reshape(batch, length, heads * dim);
    }

    /** Concatenates along the last axis. */
    static NDArray concatLast(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b), -1);
    }
}
