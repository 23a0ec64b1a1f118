package org.unmask.models.djl.causal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.unmask.core.error.InvalidInputException;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.SafetensorsWriter;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;

/**
 * Writes a Llama-shaped checkpoint of any size in Hugging Face layout with seeded random BF16 weights, sharded and
 * streamed through one small buffer (a 7B model is 13.5 GB; the writer holds a few megabytes), plus a byte-level
 * tokenizer: the model the memory benchmark loads. The arithmetic does not depend on the values, so its memory
 * and timings stand for a real checkpoint of the same shape; its outputs mean nothing. The folder is keyed by
 * shape and seed and marked complete only once every file is in, so an interrupted write is never reused.
 */
public final class SyntheticLlamaCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMPLETE = "COMPLETE";
    private static final int BUFFER_BYTES = 4 << 20;
    /** Margin of free disk kept beyond the checkpoint itself. */
    private static final long DISK_MARGIN = 1L << 30;

    /**
     * The shape of a {@code LlamaForCausalLM} (untied head, multi-head attention as Llama-2-7B).
     *
     * @param name what the benchmark calls it
     */
    public record Shape(
            String name, int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads, int positions) {
        /** Llama-2-7B (and OLMo-7B's matrix sizes): 6.74 B parameters, 13.5 GB in BF16. */
        public static final Shape LLAMA2_7B = new Shape("llama2-7b", 32000, 4096, 11008, 32, 32, 32, 4096);
        /** A tiny one for tests of the benchmark's plumbing. */
        public static final Shape TINY = new Shape("tiny", 300, 64, 160, 2, 4, 2, 128);

        /** The shape of the name {@code --shape} gives, or invalid input naming the choices. */
        public static Shape named(String name) throws InvalidInputException {
            for (Shape s : List.of(LLAMA2_7B, TINY)) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
            throw new InvalidInputException("--shape: unknown shape \"" + name + "\"", "choose llama2-7b or tiny");
        }

        /** The same shape with {@code n} layers (for a machine that cannot hold all of them). */
        public Shape withLayers(int n) {
            return new Shape(name + "-" + n + "layers", vocab, hidden, intermediate, n, heads, kvHeads, positions);
        }

        /** Tensor names and shapes in HF order, layer by layer. */
        public Map<String, long[]> tensors() {
            Map<String, long[]> s = new LinkedHashMap<>();
            int kv = hidden / heads * kvHeads;
            s.put("model.embed_tokens.weight", new long[] {vocab, hidden});
            for (int i = 0; i < layers; i++) {
                String p = "model.layers." + i + ".";
                s.put(p + "input_layernorm.weight", new long[] {hidden});
                s.put(p + "self_attn.q_proj.weight", new long[] {hidden, hidden});
                s.put(p + "self_attn.k_proj.weight", new long[] {kv, hidden});
                s.put(p + "self_attn.v_proj.weight", new long[] {kv, hidden});
                s.put(p + "self_attn.o_proj.weight", new long[] {hidden, hidden});
                s.put(p + "post_attention_layernorm.weight", new long[] {hidden});
                s.put(p + "mlp.gate_proj.weight", new long[] {intermediate, hidden});
                s.put(p + "mlp.up_proj.weight", new long[] {intermediate, hidden});
                s.put(p + "mlp.down_proj.weight", new long[] {hidden, intermediate});
            }
            s.put("model.norm.weight", new long[] {hidden});
            s.put("lm_head.weight", new long[] {vocab, hidden});
            return s;
        }

        /** Parameters, all tensors counted. */
        public long parameters() {
            long n = 0;
            for (long[] d : tensors().values()) {
                long e = 1;
                for (long x : d) {
                    e *= x;
                }
                n += e;
            }
            return n;
        }

        /** Bytes of the checkpoint's tensors in BF16. */
        public long bf16Bytes() {
            return 2 * parameters();
        }
    }

    private SyntheticLlamaCheckpoint() {}

    /** The folder for {@code shape} and {@code seed} under {@code root} (complete or not). */
    public static Path folder(Path root, Shape shape, long seed) {
        return root.resolve("synthetic")
                .resolve(String.format(
                        "llama-%s-v%d-h%d-i%d-l%d-a%d-kv%d-p%d-seed%d",
                        shape.name(),
                        shape.vocab(),
                        shape.hidden(),
                        shape.intermediate(),
                        shape.layers(),
                        shape.heads(),
                        shape.kvHeads(),
                        shape.positions(),
                        seed));
    }

    /** Whether {@code dir} holds a complete checkpoint written by {@link #write}. */
    public static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(COMPLETE));
    }

    /**
     * The checkpoint for {@code shape} and {@code seed} under {@code root}: reused when a complete one is there,
     * written otherwise (after checking the disk has room: a full disk is invalid input, said before writing).
     */
    public static Path ensure(Path root, Shape shape, long seed, long shardBytes)
            throws IOException, InvalidInputException {
        Path dir = folder(root, shape, seed);
        if (isComplete(dir)) {
            return dir;
        }
        Files.createDirectories(dir);
        requireSpace(dir, shape.bf16Bytes(), Files.getFileStore(dir).getUsableSpace());
        write(dir, shape, seed, shardBytes);
        return dir;
    }

    /** Invalid input when {@code usable} bytes cannot hold {@code needed} plus a 1 GB margin. */
    static void requireSpace(Path dir, long needed, long usable) throws InvalidInputException {
        if (usable < needed + DISK_MARGIN) {
            throw new InvalidInputException(
                    String.format(
                            "the random checkpoint needs %.1f GB (plus 1 GB margin) in %s, which has %.1f GB free",
                            needed / 1e9, dir, usable / 1e9),
                    "free disk space there or set UNMASK_CACHE to a folder on a larger disk");
        }
    }

    /** Writes config.json, tokenizer.json, the shards and their index into {@code dir}, then the completion mark. */
    static void write(Path dir, Shape shape, long seed, long shardBytes) throws IOException {
        Files.deleteIfExists(dir.resolve(COMPLETE));
        int eos = shape.vocab() - 1;
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama")
                .put("vocab_size", shape.vocab())
                .put("hidden_size", shape.hidden())
                .put("intermediate_size", shape.intermediate())
                .put("num_hidden_layers", shape.layers())
                .put("num_attention_heads", shape.heads())
                .put("num_key_value_heads", shape.kvHeads())
                .put("max_position_embeddings", shape.positions())
                .put("rms_norm_eps", 1e-5)
                .put("rope_theta", 10000.0)
                .put("hidden_act", "silu")
                .put("tie_word_embeddings", false)
                .put("torch_dtype", "bfloat16")
                .put("bos_token_id", eos)
                .put("eos_token_id", eos);
        Files.writeString(
                dir.resolve("config.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(SyntheticGpt2.byteChar(b)), b);
        }
        SyntheticGpt2.writeByteLevelTokenizer(dir, vocab, List.of(), eos);
        List<List<TensorSpec>> shards = new ArrayList<>();
        List<TensorSpec> current = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<String, long[]> e : shape.tensors().entrySet()) {
            TensorSpec spec = new TensorSpec(e.getKey(), DType.BF16, e.getValue());
            if (!current.isEmpty() && bytes + spec.byteLength() > shardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(spec);
            bytes += spec.byteLength();
        }
        shards.add(current);
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", shape.bf16Bytes());
        ObjectNode map = index.putObject("weight_map");
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < shards.size(); i++) {
            String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve(file), shards.get(i), Map.of())) {
                for (TensorSpec s : shards.get(i)) {
                    writeRandom(w, s, r, buffer);
                    map.put(s.name(), file);
                }
                w.commit();
            }
        }
        Files.writeString(
                dir.resolve("model.safetensors.index.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
        Files.writeString(dir.resolve(COMPLETE), shape + " seed " + seed + "\n");
    }

    /**
     * Norm gains are 1; matrix entries are random BF16 values of magnitude 2^-10 to 2^-5 with random sign (about
     * HF's std 0.02), made from random bits directly, as drawing 6.7 billion doubles would dominate the write.
     */
    private static void writeRandom(SafetensorsWriter w, TensorSpec s, SplittableRandom r, ByteBuffer buffer)
            throws IOException {
        boolean gain = s.shape().length == 1;
        long left = s.byteLength();
        while (left > 0) {
            buffer.clear();
            int n = (int) Math.min(buffer.capacity(), left) / 8 * 8;
            n = n == 0 ? (int) left : n;
            for (int k = 0; k < n; k += 8) {
                long bits = r.nextLong();
                for (int j = 0; j < 4 && k + 2 * j < n; j++) {
                    int b = (int) (bits >>> (16 * j)) & 0xffff;
                    short v = gain
                            ? (short) 0x3f80
                            : (short) ((b & 0x8000) | ((117 + ((b >>> 7) % 5)) << 7) | (b & 0x7f));
                    buffer.putShort(v);
                }
            }
            buffer.flip();
            w.writePart(s.name(), buffer);
            left -= n;
        }
    }
}
