package org.unmask.models.djl.causal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.SafetensorsWriter;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;

/**
 * Writes tiny random checkpoints in Hugging Face layout (config.json, model.safetensors,
 * tokenizer.json) for the decoder tests: no pretrained causal LM can be downloaded here. Weights are
 * seeded Gaussians, large enough that next-token distributions are peaked rather than uniform.
 */
public final class TinyCheckpoints {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] WORDS = {
        "The",
        "man",
        "woman",
        "works",
        "as",
        "a",
        "nurse",
        "doctor",
        "said",
        "that",
        "he",
        "she",
        "was",
        "tired",
        "carpenter"
    };

    /** A written checkpoint: its folder, config values and the weights as written. */
    public record Tiny(Path dir, int vocab, Map<String, float[]> weights, Map<String, long[]> shapes) {}

    /** A plain chat template for the tiny GPT-2 (its vocabulary has no chat tokens): role lines, then the reply. */
    public static final String PLAIN_CHAT_TEMPLATE = "{% for m in messages %}{{ m.role }}: {{ m.content | trim }}\n"
            + "{% endfor %}{% if add_generation_prompt %}assistant:\n{% endif %}";
    /** A Llama-2 style template: the template writes BOS, which must not be added a second time. */
    public static final String INST_CHAT_TEMPLATE = "{% for m in messages %}{% if m.role == 'user' %}"
            + "{{ bos_token + '[INST] ' + m.content.strip() + ' [/INST]' }}{% elif m.role == 'assistant' %}"
            + "{{ ' ' + m.content.strip() + ' ' + eos_token }}{% else %}"
            + "{{ raise_exception('only user and assistant roles') }}{% endif %}{% endfor %}";

    private TinyCheckpoints() {}

    /** Makes a written checkpoint an instruction-tuned one: writes {@code template} as chat_template.jinja. */
    public static void addChatTemplate(Path dir, String template) throws IOException {
        java.nio.file.Files.writeString(dir.resolve("chat_template.jinja"), template);
    }

    /** The same, as released checkpoints mostly carry it: in tokenizer_config.json, with the special tokens. */
    public static void addChatTemplateConfig(Path dir, String template, String bos, String eos) throws IOException {
        ObjectNode c = JSON.createObjectNode()
                .put("bos_token", bos)
                .put("eos_token", eos)
                .put("chat_template", template);
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), c);
    }

    public static Tiny gpt2(Path dir, long seed) throws IOException {
        return gpt2(dir, seed, 64);
    }

    /** A tiny GPT-2 with a context window of {@code positions} tokens. */
    public static Tiny gpt2(Path dir, long seed, int positions) throws IOException {
        ByteLevelVocab tok = ByteLevelVocab.build();
        tok.write(dir);
        int v = tok.size();
        int h = 32;
        int layers = 2;
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("GPT2LMHeadModel");
        c.put("model_type", "gpt2")
                .put("vocab_size", v)
                .put("n_embd", h)
                .put("n_layer", layers)
                .put("n_head", 4)
                .put("n_positions", positions)
                .put("n_inner", (String) null)
                .put("activation_function", "gelu_new")
                .put("layer_norm_epsilon", 1e-5)
                .put("bos_token_id", tok.eos())
                .put("eos_token_id", tok.eos());
        Map<String, long[]> shapes = gpt2Shapes(v, h, layers, positions);
        return write(dir, c, shapes, seed, v);
    }

    /** GPT-2 tensor names and shapes ({@code GPT2LMHeadModel}, Conv1D weights [in, out], tied head). */
    static Map<String, long[]> gpt2Shapes(int v, int h, int layers, int positions) {
        return new SyntheticGpt2.Shape(v, h, layers, 4, positions).tensors();
    }

    /**
     * A Llama-shaped checkpoint ({@code LlamaForCausalLM}, {@code OlmoForCausalLM} or
     * {@code Olmo2ForCausalLM}) with a SentencePiece-style (Metaspace + BOS) tokenizer.
     */
    static Tiny llama(Path dir, String arch, int heads, int kvHeads, boolean tied, long seed) throws IOException {
        MetaspaceVocab tok = MetaspaceVocab.build();
        tok.write(dir);
        int v = tok.size();
        int h = 32;
        int d = h / heads;
        int inter = 48;
        int layers = 2;
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add(arch);
        String type = arch.startsWith("Olmo2") ? "olmo2" : arch.startsWith("Olmo") ? "olmo" : "llama";
        c.put("model_type", type)
                .put("vocab_size", v)
                .put("hidden_size", h)
                .put("num_hidden_layers", layers)
                .put("num_attention_heads", heads)
                .put("num_key_value_heads", kvHeads)
                .put("intermediate_size", inter)
                .put("max_position_embeddings", 64)
                .put("rms_norm_eps", 1e-6)
                .put("rope_theta", 10000.0)
                .put("hidden_act", "silu")
                .put("tie_word_embeddings", tied)
                .put("bos_token_id", 1)
                .put("eos_token_id", 2);
        if (type.equals("olmo")) {
            c.put("clip_qkv", 1.5);
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {v, h});
        for (int i = 0; i < layers; i++) {
            String l = "model.layers." + i + ".";
            if (type.equals("llama")) {
                shapes.put(l + "input_layernorm.weight", new long[] {h});
            }
            shapes.put(l + "self_attn.q_proj.weight", new long[] {(long) heads * d, h});
            shapes.put(l + "self_attn.k_proj.weight", new long[] {(long) kvHeads * d, h});
            shapes.put(l + "self_attn.v_proj.weight", new long[] {(long) kvHeads * d, h});
            shapes.put(l + "self_attn.o_proj.weight", new long[] {h, (long) heads * d});
            if (type.equals("olmo2")) {
                shapes.put(l + "self_attn.q_norm.weight", new long[] {(long) heads * d});
                shapes.put(l + "self_attn.k_norm.weight", new long[] {(long) kvHeads * d});
            }
            if (!type.equals("olmo")) {
                shapes.put(l + "post_attention_layernorm.weight", new long[] {h});
            }
            if (type.equals("olmo2")) {
                shapes.put(l + "post_feedforward_layernorm.weight", new long[] {h});
            }
            shapes.put(l + "mlp.gate_proj.weight", new long[] {inter, h});
            shapes.put(l + "mlp.up_proj.weight", new long[] {inter, h});
            shapes.put(l + "mlp.down_proj.weight", new long[] {h, inter});
        }
        if (!type.equals("olmo")) {
            shapes.put("model.norm.weight", new long[] {h});
        }
        if (!tied) {
            shapes.put("lm_head.weight", new long[] {v, h});
        }
        return write(dir, c, shapes, seed, v);
    }

    static Tiny bloom(Path dir, int heads, long seed) throws IOException {
        ByteLevelVocab tok = ByteLevelVocab.build();
        tok.write(dir);
        int v = tok.size();
        int h = 36;
        int layers = 2;
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("BloomForCausalLM");
        c.put("model_type", "bloom")
                .put("vocab_size", v)
                .put("hidden_size", h)
                .put("n_layer", layers)
                .put("n_head", heads)
                .put("layer_norm_epsilon", 1e-5)
                .put("seq_length", 64)
                .put("bos_token_id", tok.eos())
                .put("eos_token_id", tok.eos())
                .put("pad_token_id", tok.eos());
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("transformer.word_embeddings.weight", new long[] {v, h});
        shapes.put("transformer.word_embeddings_layernorm.weight", new long[] {h});
        shapes.put("transformer.word_embeddings_layernorm.bias", new long[] {h});
        for (int i = 0; i < layers; i++) {
            String l = "transformer.h." + i + ".";
            shapes.put(l + "input_layernorm.weight", new long[] {h});
            shapes.put(l + "input_layernorm.bias", new long[] {h});
            shapes.put(l + "self_attention.query_key_value.weight", new long[] {3 * h, h});
            shapes.put(l + "self_attention.query_key_value.bias", new long[] {3 * h});
            shapes.put(l + "self_attention.dense.weight", new long[] {h, h});
            shapes.put(l + "self_attention.dense.bias", new long[] {h});
            shapes.put(l + "post_attention_layernorm.weight", new long[] {h});
            shapes.put(l + "post_attention_layernorm.bias", new long[] {h});
            shapes.put(l + "mlp.dense_h_to_4h.weight", new long[] {4 * h, h});
            shapes.put(l + "mlp.dense_h_to_4h.bias", new long[] {4 * h});
            shapes.put(l + "mlp.dense_4h_to_h.weight", new long[] {h, 4 * h});
            shapes.put(l + "mlp.dense_4h_to_h.bias", new long[] {h});
        }
        shapes.put("transformer.ln_f.weight", new long[] {h});
        shapes.put("transformer.ln_f.bias", new long[] {h});
        return write(dir, c, shapes, seed, v);
    }

    /** Norm weights near 1, biases small, matrices N(0, 0.3²): peaked but finite distributions. */
    static Tiny write(Path dir, ObjectNode config, Map<String, long[]> shapes, long seed, int vocab)
            throws IOException {
        Random r = new Random(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = 1;
            for (long s : e.getValue()) {
                n *= s;
            }
            float[] a = new float[(int) n];
            boolean norm = e.getKey().contains("ln_")
                    || e.getKey().contains("layernorm")
                    || e.getKey().contains("norm.weight");
            for (int i = 0; i < a.length; i++) {
                double g = r.nextGaussian();
                a[i] = (float)
                        (norm && e.getKey().endsWith("weight")
                                ? 1 + 0.1 * g
                                : e.getKey().endsWith("bias") ? 0.1 * g : 0.3 * g);
            }
            values.put(e.getKey(), a);
        }
        writeWeights(dir, config, shapes, values);
        return new Tiny(dir, vocab, values, shapes);
    }

    static void writeWeights(Path dir, ObjectNode config, Map<String, long[]> shapes, Map<String, float[]> values)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("config.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        List<TensorSpec> specs = new ArrayList<>();
        shapes.forEach((n, s) -> specs.add(new TensorSpec(n, DType.F32, s)));
        try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve("model.safetensors"), specs, Map.of())) {
            for (TensorSpec s : specs) {
                w.writeFloats(s.name(), values.get(s.name()));
            }
            w.commit();
        }
    }

    /** A GPT-2 style byte-level BPE: the 256 byte symbols, merges that spell {@link #WORDS}, and an EOS. */
    record ByteLevelVocab(Map<String, Integer> vocab, List<String> merges) {
        static ByteLevelVocab build() {
            Map<String, Integer> vocab = new LinkedHashMap<>();
            for (int b = 0; b < 256; b++) {
                vocab.put(String.valueOf(byteChar(b)), vocab.size());
            }
            Set<String> merges = new LinkedHashSet<>();
            for (String word : WORDS) {
                // the bare word left to right, then "Ġ" + word, so "Ġman" is one token as in GPT-2
                String cur = String.valueOf(word.charAt(0));
                for (int i = 1; i < word.length(); i++) {
                    String next = String.valueOf(word.charAt(i));
                    merges.add(cur + " " + next);
                    cur = cur + next;
                    vocab.putIfAbsent(cur, vocab.size());
                }
                merges.add("\u0120 " + word);
                vocab.putIfAbsent("\u0120" + word, vocab.size());
            }
            vocab.put("<|endoftext|>", vocab.size());
            return new ByteLevelVocab(vocab, new ArrayList<>(merges));
        }

        int size() {
            return vocab.size();
        }

        int eos() {
            return vocab.get("<|endoftext|>");
        }

        static char byteChar(int b) {
            return SyntheticGpt2.byteChar(b);
        }

        void write(Path dir) throws IOException {
            Map<String, Integer> plain = new LinkedHashMap<>(vocab);
            plain.remove("<|endoftext|>");
            SyntheticGpt2.writeByteLevelTokenizer(dir, plain, merges, eos());
        }
    }

    /**
     * A Llama-style SentencePiece BPE: Metaspace pre-tokenizer ("▁" before the first word and in place
     * of spaces), {@code <unk>}, {@code <s>} added in front by the post-processor, {@code </s>}.
     */
    record MetaspaceVocab(Map<String, Integer> vocab, List<String> merges) {
        static MetaspaceVocab build() {
            Map<String, Integer> vocab = new LinkedHashMap<>();
            vocab.put("<unk>", 0);
            vocab.put("<s>", 1);
            vocab.put("</s>", 2);
            vocab.put("\u2581", 3);
            for (char ch = 'a'; ch <= 'z'; ch++) {
                vocab.put(String.valueOf(ch), vocab.size());
            }
            for (char ch = 'A'; ch <= 'Z'; ch++) {
                vocab.put(String.valueOf(ch), vocab.size());
            }
            for (char ch : ".,!?'".toCharArray()) {
                vocab.put(String.valueOf(ch), vocab.size());
            }
            Set<String> merges = new LinkedHashSet<>();
            for (String word : WORDS) {
                String form = "\u2581" + word;
                String cur = String.valueOf(form.charAt(0));
                for (int i = 1; i < form.length(); i++) {
                    String next = String.valueOf(form.charAt(i));
                    merges.add(cur + " " + next);
                    cur = cur + next;
                    vocab.putIfAbsent(cur, vocab.size());
                }
            }
            return new MetaspaceVocab(vocab, new ArrayList<>(merges));
        }

        int size() {
            return vocab.size();
        }

        void write(Path dir) throws IOException {
            ObjectNode root = JSON.createObjectNode();
            root.put("version", "1.0");
            root.putNull("truncation");
            root.putNull("padding");
            ArrayNode added = root.putArray("added_tokens");
            String[] specials = {"<unk>", "<s>", "</s>"};
            for (int i = 0; i < 3; i++) {
                added.addObject()
                        .put("id", i)
                        .put("content", specials[i])
                        .put("single_word", false)
                        .put("lstrip", false)
                        .put("rstrip", false)
                        .put("normalized", false)
                        .put("special", true);
            }
            root.putNull("normalizer");
            root.putObject("pre_tokenizer")
                    .put("type", "Metaspace")
                    .put("replacement", "\u2581")
                    .put("prepend_scheme", "first")
                    .put("split", false);
            ObjectNode post = root.putObject("post_processor");
            post.put("type", "TemplateProcessing");
            ArrayNode single = post.putArray("single");
            single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
            single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            ArrayNode pair = post.putArray("pair");
            pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
            pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
            ObjectNode st = post.putObject("special_tokens").putObject("<s>");
            st.put("id", "<s>");
            st.putArray("ids").add(1);
            st.putArray("tokens").add("<s>");
            root.putObject("decoder")
                    .put("type", "Metaspace")
                    .put("replacement", "\u2581")
                    .put("prepend_scheme", "first")
                    .put("split", false);
            ObjectNode model = root.putObject("model");
            model.put("type", "BPE")
                    .putNull("dropout")
                    .put("unk_token", "<unk>")
                    .putNull("continuing_subword_prefix")
                    .putNull("end_of_word_suffix")
                    .put("fuse_unk", true)
                    .put("byte_fallback", false);
            ObjectNode v = model.putObject("vocab");
            vocab.forEach(v::put);
            ArrayNode m = model.putArray("merges");
            merges.forEach(m::add);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(root));
        }
    }
}
