package org.unmask.core.model;

/** What a model can be asked: this decides which {@link LanguageModel} capability it implements. */
public enum ModelKind {
    /** BERT-style: predicts masked tokens from both sides. */
    MASKED_LM,
    /** GPT-style: predicts the next token from the left context. */
    CAUSAL_LM,
    /** Produces sentence embeddings only. */
    ENCODER
}
