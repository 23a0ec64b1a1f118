package org.unmask.models.djl.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.unmask.core.error.ModelException;
import org.unmask.models.djl.DropoutRates;
import org.unmask.models.djl.Weights;

/**
 * The forward pass of a causal family over caller-owned weights, for training code: the same implementation
 * {@link CausalLm} runs for inference (so a trained model's loss is the loss of the model Unmask later loads),
 * without a KV cache and with dropout where HF applies it when asked.
 */
public final class CausalForward {
    private final DecoderForward forward;
    private final DecoderConfig cfg;

    private CausalForward(DecoderForward forward, DecoderConfig cfg) {
        this.forward = forward;
        this.cfg = cfg;
    }

    /**
     * @param w the weights by HF name (kept by reference: training updates them in place)
     * @param constants manager for constants the forward needs (e.g. OLMo's parameter-free norms)
     */
    public static CausalForward of(Weights w, DecoderConfig cfg, NDManager constants) throws ModelException {
        return new CausalForward(CausalLmLoader.forward(w, cfg, constants), cfg);
    }

    /** Final-norm hidden states [batch, length, hidden] of right-padded {@code ids} (row-major [batch, length]). */
    public NDArray hidden(NDManager m, long[] ids, int batch, int length, DropoutRates drop) {
        return forward.hidden(m, ids, batch, length, null, drop);
    }

    /** The LM head: rows [n, hidden] to logits [n, vocab]. */
    public NDArray logits(NDArray rows) {
        return forward.logits(rows);
    }

    public DecoderConfig config() {
        return cfg;
    }
}
