package org.unmask.models.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;

/**
 * The dropout probabilities a forward pass applies in train mode, by site, as Hugging Face names them in
 * {@code config.json}: after the embeddings (GPT-2 {@code embd_pdrop}, BERT {@code hidden_dropout_prob}), on the
 * attention probabilities (GPT-2 {@code attn_pdrop}, BERT {@code attention_probs_dropout_prob}, Llama
 * {@code attention_dropout}) and on each sub-layer's output before its residual add (GPT-2 {@code resid_pdrop},
 * BERT {@code hidden_dropout_prob}, BLOOM {@code hidden_dropout}). Inference uses {@link #NONE}.
 *
 * @param embedding after the embedding sum (and its LayerNorm where the family has one)
 * @param attention on the softmax of the attention scores
 * @param residual on sub-layer outputs before the residual add
 */
public record DropoutRates(float embedding, float attention, float residual) {
    /** No dropout anywhere (inference, and training with dropout off). */
    public static final DropoutRates NONE = new DropoutRates(0f, 0f, 0f);

    public DropoutRates {
        for (float p : new float[] {embedding, attention, residual}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout probabilities must be in [0, 1), got " + p);
            }
        }
    }

    /** The same probability at every site. */
    public static DropoutRates uniform(float p) {
        return new DropoutRates(p, p, p);
    }

    /** Applies dropout with probability {@code p} to {@code x} (inverted scaling, as torch), or returns it. */
    public static NDArray apply(NDArray x, float p) {
        return p > 0 ? Dropout.dropout(x, p, true).head() : x;
    }
}
