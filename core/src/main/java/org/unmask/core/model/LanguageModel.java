package org.unmask.core.model;

/**
 * A loaded model. Implementations own native memory and must be closed. Capabilities are
 * sub-interfaces: {@link TokenScorer} for masked and causal LMs, {@link SentenceEncoder}.
 */
public interface LanguageModel extends AutoCloseable {
    ModelInfo info();

    TextTokenizer tokenizer();

    @Override
    void close();
}
