package org.unmask.models.djl.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the tokens already run, per layer, so each generation step only computes the
 * new token: generation is linear, not quadratic, in forward passes. The arrays live in the cache's
 * own manager, so each step's scratch arrays can be freed with the step.
 */
final class KvCache implements AutoCloseable {
    /** Positions a buffer starts with; most prompts plus continuations fit without growing. */
    private static final long MIN_CAPACITY = 64;

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens cached so far (the absolute position of the next token). */
    int length() {
        return length;
    }

    /**
     * Appends this step's keys and values ([B, kvHeads, T, d]) to layer {@code layer} and returns
     * the full ones ({@code [keys, values]}, [B, kvHeads, past + T, d]) as views of the cache's buffers.
     * The buffers grow by doubling, so each step copies only its own keys and values, not the whole past
     * (a concatenation per step would make generation quadratic in copying).
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        int t = (int) k.getShape().get(2);
        int used = length + t;
        if (keys[layer] == null || keys[layer].getShape().get(2) < used) {
            keys[layer] = grow(keys[layer], k, used);
            values[layer] = grow(values[layer], v, used);
        }
        NDIndex fresh = new NDIndex(":, :, {}:{}", length, used);
        keys[layer].set(fresh, k);
        values[layer].set(fresh, v);
        NDIndex filled = new NDIndex(":, :, 0:{}", used);
        NDArray fullK = keys[layer].get(filled);
        NDArray fullV = values[layer].get(filled);
        // the views belong to the step (closing them leaves the buffers alone)
        fullK.attach(k.getManager());
        fullV.attach(k.getManager());
        return new NDArray[] {fullK, fullV};
    }

    /** A buffer of at least {@code needed} positions (twice the old capacity), holding the old one's filled part. */
    private NDArray grow(NDArray old, NDArray like, int needed) {
        Shape s = like.getShape();
        long capacity =
                Math.max(needed, old == null ? MIN_CAPACITY : 2 * old.getShape().get(2));
        NDArray buffer = manager.zeros(new Shape(s.get(0), s.get(1), capacity, s.get(3)), like.getDataType());
        if (old != null) {
            try (NDArray filled = old.get(new NDIndex(":, :, 0:{}", length))) {
                buffer.set(new NDIndex(":, :, 0:{}", length), filled);
            }
            old.close();
        }
        return buffer;
    }

    /** Repeats a batch-1 cache {@code n} times along the batch axis, so n continuations share one prompt pass. */
    void repeatBatch(int n) {
        for (int l = 0; l < keys.length; l++) {
            keys[l] = repeat(keys[l], n);
            values[l] = repeat(values[l], n);
        }
    }

    private NDArray repeat(NDArray a, int n) {
        NDList copies = new NDList(n);
        for (int i = 0; i < n; i++) {
            copies.add(a);
        }
        NDArray out = NDArrays.concat(copies, 0);
        out.attach(manager);
        a.close();
        return out;
    }

    /** Records that a step of {@code tokens} tokens was appended to every layer. */
    void advance(int tokens) {
        length += tokens;
    }

    @Override
    public void close() {
        manager.close();
    }
}
