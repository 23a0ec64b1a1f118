package org.unmask.models.djl.bert;

import java.util.Optional;
import org.unmask.models.config.ModelConfig;

/**
 * The encoder-only masked LMs that share BERT's math and differ in tensor names, config field names
 * and position ids. One forward pass serves them all.
 */
public enum BertFamily {
    /** BERT (Devlin et al. 2019): positions 0..n-1, token types. */
    BERT,
    /** RoBERTa (Liu et al. 2019): positions start after the padding id; one token type. */
    ROBERTA,
    /** DistilBERT (Sanh et al. 2019): BERT with 6 layers, no token types, its own tensor names. */
    DISTILBERT;

    /** The family of a config, by {@code model_type} or architecture name. */
    public static Optional<BertFamily> of(ModelConfig c) {
        String arch = c.architecture();
        String type = c.modelType();
        if (type.equals("bert") || arch.startsWith("Bert")) {
            return Optional.of(BERT);
        }
        if (type.equals("roberta") || arch.startsWith("Roberta")) {
            return Optional.of(ROBERTA);
        }
        if (type.equals("distilbert") || arch.startsWith("DistilBert")) {
            return Optional.of(DISTILBERT);
        }
        return Optional.empty();
    }

    /** The position id of token {@code t} (RoBERTa counts from {@code padding_idx + 1}). */
    public long position(int t, int padId) {
        return this == ROBERTA ? padId + 1L + t : t;
    }
}
