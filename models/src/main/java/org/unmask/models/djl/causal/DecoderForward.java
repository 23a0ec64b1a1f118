package org.unmask.models.djl.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.unmask.models.djl.DropoutRates;

/**
 * One family's forward pass, functional over weights held by the model. Inputs are right-padded, so
 * under the causal mask a real token never attends to padding; positions start at 0 for every row
 * (or continue from a {@link KvCache}).
 */
abstract class DecoderForward {
    final DecoderConfig cfg;

    DecoderForward(DecoderConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * Final-norm hidden states [B, T, hidden] of {@code ids} ([B, T], row-major). With a cache, the ids
     * continue the cached ones (positions from {@code cache.length()}), and their keys and values are
     * appended to it; the caller then calls {@link KvCache#advance}.
     */
    NDArray hidden(NDManager m, long[] ids, int batch, int length, KvCache cache) {
        return hidden(m, ids, batch, length, cache, DropoutRates.NONE);
    }

    /** As {@link #hidden(NDManager, long[], int, int, KvCache)}, with dropout at HF's sites (training). */
    abstract NDArray hidden(NDManager m, long[] ids, int batch, int length, KvCache cache, DropoutRates drop);

    /** The LM head: rows [n, hidden] to logits [n, vocab]. */
    abstract NDArray logits(NDArray rows);

    /** Adds the LM head to an input layer's weights ([vocab, hidden], as nn.Linear without bias). */
    static NDArray head(NDArray rows, NDArray weight) {
        return Ops.linear(rows, weight, null);
    }

    static NDArray idArray(NDManager m, long[] ids, int batch, int length) {
        return m.create(ids, new Shape(batch, length));
    }

    static int past(KvCache cache) {
        return cache == null ? 0 : cache.length();
    }

    /** Keys/values for attention: this step's alone, or the cache's after appending them. */
    static NDArray[] keysValues(KvCache cache, int layer, NDArray k, NDArray v) {
        return cache == null ? new NDArray[] {k, v} : cache.append(layer, k, v);
    }
}
