package org.unmask.models.djl.bert;

import org.unmask.core.error.ModelException;
import org.unmask.models.config.ModelConfig;

/**
 * The BERT hyper-parameters, from {@code config.json}.
 *
 * @param hidden hidden size (768 for bert-base)
 * @param layers number of encoder layers
 * @param heads attention heads
 * @param intermediate feed-forward size
 * @param maxPositions the longest input in tokens
 * @param vocab vocabulary size
 * @param layerNormEps LayerNorm epsilon (1e-12 for BERT)
 * @param padId the padding token id
 */
public record BertConfig(
        BertFamily family,
        int hidden,
        int layers,
        int heads,
        int intermediate,
        int maxPositions,
        int vocab,
        float layerNormEps,
        int padId) {
    /**
     * Reads and validates the fields the BERT-family forward passes use: every size positive and bounded, the hidden
     * size divisible by the heads, the padding id inside the vocabulary. The numbers are checked against the
     * checkpoint's tensor shapes separately ({@link BertShapes}).
     */
    public static BertConfig from(ModelConfig c) throws ModelException {
        BertFamily family = BertFamily.of(c)
                .orElseThrow(() -> new ModelException(
                        c.file() + ": not a BERT-family model", "supported: BERT, RoBERTa, DistilBERT"));
        boolean distil = family == BertFamily.DISTILBERT;
        String act = distil ? c.text("activation", "gelu") : c.text("hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw new ModelException(
                    c.file() + ": " + (distil ? "activation" : "hidden_act") + " \"" + act + "\" is not supported",
                    "only exact (erf) \"gelu\" is implemented");
        }
        String hiddenField = distil ? "dim" : "hidden_size";
        String headsField = distil ? "n_heads" : "num_attention_heads";
        int hidden = c.positive(hiddenField, ModelConfig.MAX_DIM);
        int layers = c.positive(distil ? "n_layers" : "num_hidden_layers", ModelConfig.MAX_LAYERS);
        int heads = c.positive(headsField, ModelConfig.MAX_DIM);
        int intermediate = c.positive(distil ? "hidden_dim" : "intermediate_size", ModelConfig.MAX_DIM);
        int maxPositions = c.positive("max_position_embeddings", ModelConfig.MAX_DIM);
        int vocab = c.positive("vocab_size", ModelConfig.MAX_DIM);
        float eps = distil ? 1e-12f : (float) c.positiveNumber("layer_norm_eps", 1e-12);
        if (!(eps > 0)) { // a positive double can still round to 0 as a float
            throw c.bad("layer_norm_eps", "is too small for float32");
        }
        int padId = c.inRange("pad_token_id", c.integer("pad_token_id", 0), 0, vocab - 1);
        if (hidden % heads != 0) {
            throw c.bad(headsField, "is " + heads + ", which does not divide " + hiddenField + " " + hidden);
        }
        BertConfig b = new BertConfig(family, hidden, layers, heads, intermediate, maxPositions, vocab, eps, padId);
        if (b.maxTokens() < 2) {
            throw c.bad(
                    "max_position_embeddings",
                    "is " + maxPositions + ", too small for pad_token_id " + padId
                            + " (RoBERTa's positions start after the padding id)");
        }
        return b;
    }

    /**
     * The longest input in tokens: RoBERTa's position table also holds the padding offset, so it
     * is shorter than {@code max_position_embeddings} by {@code pad_token_id + 1}.
     */
    public int maxTokens() {
        return family == BertFamily.ROBERTA ? maxPositions - padId - 1 : maxPositions;
    }

    public int headDim() {
        return hidden / heads;
    }
}
