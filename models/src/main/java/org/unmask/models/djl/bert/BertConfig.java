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
public record BertConfig(BertFamily family, int hidden, int layers, int heads, int intermediate, int maxPositions,
        int vocab, float layerNormEps, int padId) {
    public static BertConfig from(ModelConfig c) throws ModelException {
        BertFamily family = BertFamily.of(c).orElseThrow(() -> new ModelException(c.file() + ": not a BERT-family model",
                "supported: BERT, RoBERTa, DistilBERT"));
        if (family == BertFamily.DISTILBERT) {
            String act = c.text("activation", "gelu");
            if (!act.equals("gelu")) {
                throw new ModelException(c.file() + ": activation \"" + act + "\" is not supported", "only \"gelu\"");
            }
            return new BertConfig(family, c.integer("dim"), c.integer("n_layers"), c.integer("n_heads"),
                    c.integer("hidden_dim"), c.integer("max_position_embeddings"), c.integer("vocab_size"), 1e-12f,
                    c.integer("pad_token_id", 0));
        }
        String act = c.text("hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw new ModelException(c.file() + ": hidden_act \"" + act + "\" is not supported for BERT",
                    "only exact (erf) \"gelu\" is implemented");
        }
        BertConfig b = new BertConfig(family, c.integer("hidden_size"), c.integer("num_hidden_layers"),
                c.integer("num_attention_heads"), c.integer("intermediate_size"),
                c.integer("max_position_embeddings"), c.integer("vocab_size"),
                (float) c.number("layer_norm_eps", 1e-12), c.integer("pad_token_id", 0));
        if (b.hidden % b.heads != 0) {
            throw new ModelException(c.file() + ": hidden_size " + b.hidden + " is not a multiple of num_attention_heads "
                    + b.heads, "fix config.json");
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
