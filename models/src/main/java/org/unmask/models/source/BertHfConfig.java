package org.unmask.models.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The architecture numbers of a BERT masked LM, derived from the checkpoint's tensor shapes, and the Hugging Face
 * {@code config.json} they produce. Attention heads are not visible in the shapes; Google's BERT releases all use
 * 64-dimensional heads, so {@code heads = hidden / 64}.
 */
record BertHfConfig(
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize) {

    /** The head size of every Google BERT release. */
    static final int HEAD_SIZE = 64;

    /** Heads for a hidden size: {@code hidden/64}, or 1 for the tiny test models whose hidden size is below 64. */
    static int headsFor(int hiddenSize) {
        return hiddenSize % HEAD_SIZE == 0 ? hiddenSize / HEAD_SIZE : 1;
    }

    /** The Hugging Face {@code config.json} of {@code BertForMaskedLM} (bert-base-uncased's, for 768/12/12). */
    Map<String, Object> toHfConfig(int padTokenId) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("BertForMaskedLM"));
        c.put("attention_probs_dropout_prob", 0.1);
        c.put("classifier_dropout", null);
        c.put("gradient_checkpointing", false);
        c.put("hidden_act", "gelu");
        c.put("hidden_dropout_prob", 0.1);
        c.put("hidden_size", hiddenSize);
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", intermediateSize);
        c.put("layer_norm_eps", 1e-12);
        c.put("max_position_embeddings", maxPositions);
        c.put("model_type", "bert");
        c.put("num_attention_heads", numHeads);
        c.put("num_hidden_layers", numLayers);
        c.put("pad_token_id", padTokenId);
        c.put("position_embedding_type", "absolute");
        c.put("tie_word_embeddings", true);
        c.put("type_vocab_size", typeVocabSize);
        c.put("use_cache", true);
        c.put("vocab_size", vocabSize);
        return c;
    }
}
