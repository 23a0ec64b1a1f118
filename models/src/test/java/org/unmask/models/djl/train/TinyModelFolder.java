package org.unmask.models.djl.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertFamily;

/**
 * Writes a tiny random BERT in Hugging Face layout (config.json, tokenizer.json with a word-level WordPiece
 * vocabulary, model.safetensors) for fine-tuning tests. Random weights: only for testing the pipeline.
 */
final class TinyModelFolder {
    static final List<String> WORDS = List.of(
            "the",
            "a",
            "man",
            "woman",
            "he",
            "she",
            "his",
            "her",
            "is",
            "was",
            "doctor",
            "nurse",
            "said",
            "tall",
            "kind",
            "and",
            "very",
            "works",
            "as",
            ".",
            ",",
            "teacher",
            "engineer",
            "smart",
            "caring",
            "to",
            "of",
            "in",
            "it",
            "they");

    private TinyModelFolder() {}

    static BertConfig config() {
        return new BertConfig(BertFamily.BERT, 16, 2, 2, 32, 32, 5 + WORDS.size(), 1e-12f, 0);
    }

    static Path write(Path dir) throws Exception {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        BertConfig c = config();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architectures", List.of("BertForMaskedLM"));
        cfg.put("model_type", "bert");
        cfg.put("hidden_size", c.hidden());
        cfg.put("num_hidden_layers", c.layers());
        cfg.put("num_attention_heads", c.heads());
        cfg.put("intermediate_size", c.intermediate());
        cfg.put("max_position_embeddings", c.maxPositions());
        cfg.put("vocab_size", c.vocab());
        cfg.put("layer_norm_eps", 1e-12);
        cfg.put("pad_token_id", 0);
        cfg.put("hidden_act", "gelu");
        cfg.put("type_vocab_size", 2);
        json.writeValue(dir.resolve("config.json").toFile(), cfg);
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(WORDS);
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            ids.put(vocab.get(i), i);
        }
        List<Object> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            added.add(Map.of(
                    "id",
                    i,
                    "content",
                    vocab.get(i),
                    "single_word",
                    false,
                    "lstrip",
                    false,
                    "rstrip",
                    false,
                    "normalized",
                    false,
                    "special",
                    true));
        }
        Map<String, Object> tok = new LinkedHashMap<>();
        tok.put("version", "1.0");
        tok.put("truncation", null);
        tok.put("padding", null);
        tok.put("added_tokens", added);
        tok.put(
                "normalizer",
                Map.of("type", "BertNormalizer", "clean_text", true, "handle_chinese_chars", true, "lowercase", true));
        tok.put("pre_tokenizer", Map.of("type", "BertPreTokenizer"));
        tok.put(
                "post_processor",
                Map.of(
                        "type",
                        "TemplateProcessing",
                        "single",
                        List.of(
                                Map.of("SpecialToken", Map.of("id", "[CLS]", "type_id", 0)),
                                Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                                Map.of("SpecialToken", Map.of("id", "[SEP]", "type_id", 0))),
                        "pair",
                        List.of(
                                Map.of("SpecialToken", Map.of("id", "[CLS]", "type_id", 0)),
                                Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                                Map.of("SpecialToken", Map.of("id", "[SEP]", "type_id", 0)),
                                Map.of("Sequence", Map.of("id", "B", "type_id", 1)),
                                Map.of("SpecialToken", Map.of("id", "[SEP]", "type_id", 1))),
                        "special_tokens",
                        Map.of(
                                "[CLS]", Map.of("id", "[CLS]", "ids", List.of(2), "tokens", List.of("[CLS]")),
                                "[SEP]", Map.of("id", "[SEP]", "ids", List.of(3), "tokens", List.of("[SEP]")))));
        tok.put("decoder", Map.of("type", "WordPiece", "prefix", "##", "cleanup", true));
        tok.put(
                "model",
                Map.of(
                        "type",
                        "WordPiece",
                        "unk_token",
                        "[UNK]",
                        "continuing_subword_prefix",
                        "##",
                        "max_input_chars_per_word",
                        100,
                        "vocab",
                        ids));
        json.writeValue(dir.resolve("tokenizer.json").toFile(), tok);
        json.writeValue(
                dir.resolve("tokenizer_config.json").toFile(),
                Map.of("mask_token", "[MASK]", "do_lower_case", true, "tokenizer_class", "BertTokenizer"));
        try (NDManager m = DjlRuntime.newManager()) {
            TrainableBert model = TrainableBert.random(m, c, 17, DataType.FLOAT32, 0f);
            Checkpoints.writeTensors(dir.resolve("model.safetensors"), model.all(), Map.of());
        }
        return dir;
    }
}
