package org.unmask.models.djl.causal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.SafetensorsWriter;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;

/**
 * Writes a GPT-2-shaped checkpoint in Hugging Face layout with seeded random weights (HF's init scale, std
 * 0.02) and a byte-level tokenizer of the 256 byte symbols plus {@code <|endoftext|>}: the benchmark model
 * when no causal LM can be downloaded. The arithmetic of a forward pass does not depend on the values, so
 * its timings stand for the real checkpoint of the same shape; its outputs mean nothing.
 */
public final class SyntheticGpt2 {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The shape: GPT-2 small is {@code new Shape(50257, 768, 12, 12, 1024)}.
     *
     * @param vocab embedding rows (the tokenizer covers the bytes and EOS only)
     * @param width {@code n_embd}
     * @param layers {@code n_layer}
     * @param heads {@code n_head}
     * @param positions {@code n_positions}
     */
    public record Shape(int vocab, int width, int layers, int heads, int positions) {
        public static final Shape GPT2_SMALL = new Shape(50257, 768, 12, 12, 1024);

        /** Tensor names and shapes as {@code GPT2LMHeadModel} saves them (Conv1D weights stored [in, out]). */
        public Map<String, long[]> tensors() {
            Map<String, long[]> s = new LinkedHashMap<>();
            int h = width;
            s.put("transformer.wte.weight", new long[] {vocab, h});
            s.put("transformer.wpe.weight", new long[] {positions, h});
            for (int i = 0; i < layers; i++) {
                String p = "transformer.h." + i + ".";
                s.put(p + "ln_1.weight", new long[] {h});
                s.put(p + "ln_1.bias", new long[] {h});
                s.put(p + "attn.c_attn.weight", new long[] {h, 3L * h});
                s.put(p + "attn.c_attn.bias", new long[] {3L * h});
                s.put(p + "attn.c_proj.weight", new long[] {h, h});
                s.put(p + "attn.c_proj.bias", new long[] {h});
                s.put(p + "ln_2.weight", new long[] {h});
                s.put(p + "ln_2.bias", new long[] {h});
                s.put(p + "mlp.c_fc.weight", new long[] {h, 4L * h});
                s.put(p + "mlp.c_fc.bias", new long[] {4L * h});
                s.put(p + "mlp.c_proj.weight", new long[] {4L * h, h});
                s.put(p + "mlp.c_proj.bias", new long[] {h});
            }
            s.put("transformer.ln_f.weight", new long[] {h});
            s.put("transformer.ln_f.bias", new long[] {h});
            return s;
        }
    }

    private SyntheticGpt2() {}

    /** Writes config.json, tokenizer.json and model.safetensors into {@code dir}. */
    public static void write(Path dir, Shape shape, long seed) throws IOException {
        Files.createDirectories(dir);
        int eos = shape.vocab() - 1;
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("GPT2LMHeadModel");
        c.put("model_type", "gpt2")
                .put("vocab_size", shape.vocab())
                .put("n_embd", shape.width())
                .put("n_layer", shape.layers())
                .put("n_head", shape.heads())
                .put("n_positions", shape.positions())
                .put("bos_token_id", eos)
                .put("eos_token_id", eos);
        Files.writeString(
                dir.resolve("config.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
        writeTokenizer(dir, eos);
        List<TensorSpec> specs = new ArrayList<>();
        shape.tensors().forEach((n, s) -> specs.add(new TensorSpec(n, DType.F32, s)));
        SplittableRandom r = new SplittableRandom(seed);
        try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve("model.safetensors"), specs, Map.of())) {
            for (TensorSpec s : specs) {
                long n = 1;
                for (long d : s.shape()) {
                    n *= d;
                }
                float[] a = new float[Math.toIntExact(n)];
                boolean gain = s.name().contains("ln_") && s.name().endsWith("weight");
                for (int i = 0; i < a.length; i++) {
                    a[i] = gain ? 1f : (float) ((r.nextDouble() - 0.5) * 0.07); // uniform, std 0.02
                }
                w.writeFloats(s.name(), a);
            }
            w.commit();
        }
    }

    /** A byte-level BPE without merges: every byte is a token, so any text encodes. */
    private static void writeTokenizer(Path dir, int eos) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(byteChar(b)), b);
        }
        writeByteLevelTokenizer(dir, vocab, List.of(), eos);
    }

    /**
     * Writes a GPT-2-style byte-level BPE {@code tokenizer.json}: the given vocabulary and merges, and
     * {@code <|endoftext|>} as an added special token with id {@code eos}.
     */
    public static void writeByteLevelTokenizer(Path dir, Map<String, Integer> vocab, List<String> merges, int eos)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        added.addObject()
                .put("id", eos)
                .put("content", "<|endoftext|>")
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", true)
                .put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer")
                .put("type", "ByteLevel")
                .put("add_prefix_space", false)
                .put("trim_offsets", true)
                .put("use_regex", true);
        root.putObject("post_processor")
                .put("type", "ByteLevel")
                .put("add_prefix_space", true)
                .put("trim_offsets", false)
                .put("use_regex", true);
        root.putObject("decoder")
                .put("type", "ByteLevel")
                .put("add_prefix_space", true)
                .put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE")
                .putNull("dropout")
                .putNull("unk_token")
                .putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix")
                .put("fuse_unk", false)
                .put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(root));
    }

    /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the others to 256 + n in byte order. */
    static char byteChar(int b) {
        if (printable(b)) {
            return (char) b;
        }
        int n = 0;
        for (int x = 0; x < b; x++) {
            n += printable(x) ? 0 : 1;
        }
        return (char) (256 + n);
    }

    private static boolean printable(int b) {
        return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    }
}
