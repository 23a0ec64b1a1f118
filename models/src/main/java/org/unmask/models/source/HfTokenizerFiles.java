package org.unmask.models.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the Hugging Face tokenizer files of an uncased WordPiece BERT from its {@code vocab.txt}: a
 * {@code tokenizer.json} (BertNormalizer lowercasing and stripping accents, BertPreTokenizer, WordPiece with the full
 * vocabulary, {@code [CLS] $A [SEP]} template, WordPiece decoder, the five special tokens), plus
 * {@code tokenizer_config.json} and {@code special_tokens_map.json}, matching what {@code transformers} saves for
 * bert-base-uncased.
 */
final class HfTokenizerFiles {
    static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> vocab;
    private final Map<String, Integer> ids = new LinkedHashMap<>();

    /** {@code vocab} lists tokens by id; it must contain the five specials. */
    HfTokenizerFiles(List<String> vocab) {
        this.vocab = List.copyOf(vocab);
        for (int i = 0; i < vocab.size(); i++) {
            ids.putIfAbsent(vocab.get(i), i);
        }
    }

    /** The first special token missing from the vocabulary, or null when all are present. */
    String missingSpecial() {
        return SPECIALS.stream().filter(s -> !ids.containsKey(s)).findFirst().orElse(null);
    }

    int id(String token) {
        return ids.get(token);
    }

    void writeAll(Path dir) throws IOException {
        JSON.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizerJson());
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), tokenizerConfig());
        JSON.writeValue(dir.resolve("special_tokens_map.json").toFile(), specialTokensMap());
    }

    Map<String, Object> tokenizerJson() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("version", "1.0");
        t.put("truncation", null);
        t.put("padding", null);
        List<Object> added = new ArrayList<>();
        List<String> byId = new ArrayList<>(SPECIALS);
        byId.sort(java.util.Comparator.comparingInt(this::id));
        for (String special : byId) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", id(special));
            a.put("content", special);
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", true);
            added.add(a);
        }
        t.put("added_tokens", added);
        Map<String, Object> normalizer = new LinkedHashMap<>();
        normalizer.put("type", "BertNormalizer");
        normalizer.put("clean_text", true);
        normalizer.put("handle_chinese_chars", true);
        normalizer.put("strip_accents", null); // null = follow lowercase, i.e. strip accents (HF semantics)
        normalizer.put("lowercase", true);
        t.put("normalizer", normalizer);
        t.put("pre_tokenizer", Map.of("type", "BertPreTokenizer"));
        t.put("post_processor", postProcessor());
        Map<String, Object> decoder = new LinkedHashMap<>();
        decoder.put("type", "WordPiece");
        decoder.put("prefix", "##");
        decoder.put("cleanup", true);
        t.put("decoder", decoder);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "WordPiece");
        model.put("unk_token", "[UNK]");
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        model.put("vocab", ids);
        t.put("model", model);
        return t;
    }

    private Map<String, Object> postProcessor() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "TemplateProcessing");
        p.put("single", List.of(special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)));
        p.put(
                "pair",
                List.of(
                        special("[CLS]", 0),
                        sequence("A", 0),
                        special("[SEP]", 0),
                        sequence("B", 1),
                        special("[SEP]", 1)));
        Map<String, Object> specials = new LinkedHashMap<>();
        for (String s : List.of("[CLS]", "[SEP]")) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", s);
            e.put("ids", List.of(id(s)));
            e.put("tokens", List.of(s));
            specials.put(s, e);
        }
        p.put("special_tokens", specials);
        return p;
    }

    private static Map<String, Object> special(String token, int typeId) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("id", token);
        inner.put("type_id", typeId);
        return Map.of("SpecialToken", inner);
    }

    private static Map<String, Object> sequence(String id, int typeId) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("id", id);
        inner.put("type_id", typeId);
        return Map.of("Sequence", inner);
    }

    Map<String, Object> tokenizerConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("clean_up_tokenization_spaces", true);
        c.put("cls_token", "[CLS]");
        c.put("do_basic_tokenize", true);
        c.put("do_lower_case", true);
        c.put("mask_token", "[MASK]");
        c.put("model_max_length", 512);
        c.put("never_split", null);
        c.put("pad_token", "[PAD]");
        c.put("sep_token", "[SEP]");
        c.put("strip_accents", null);
        c.put("tokenize_chinese_chars", true);
        c.put("tokenizer_class", "BertTokenizer");
        c.put("unk_token", "[UNK]");
        return c;
    }

    Map<String, Object> specialTokensMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cls_token", "[CLS]");
        m.put("mask_token", "[MASK]");
        m.put("pad_token", "[PAD]");
        m.put("sep_token", "[SEP]");
        m.put("unk_token", "[UNK]");
        return m;
    }
}
