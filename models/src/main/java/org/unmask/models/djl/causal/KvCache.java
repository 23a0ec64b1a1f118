package org.unmask.models.djl.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the tokens already run, per layer, so each generation step only computes the
 * new token: generation is linear, not quadratic, in forward passes. The arrays live in the cache's
 * own manager, so each step's scratch arrays can be freed with the step.
 */
final class KvCache implements AutoCloseable {
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
     * the full ones ({@code [keys, values]}, [B, kvHeads, past + T, d]).
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray fullK = keys[layer] == null ? k : NDArrays.concat(new NDList(keys[layer], k), 2);
        NDArray fullV = values[layer] == null ? v : NDArrays.concat(new NDList(values[layer], v), 2);
        fullK.attach(manager);
        fullV.attach(manager);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = fullK;
        values[layer] = fullV;
        return new NDArray[] {fullK, fullV};
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
