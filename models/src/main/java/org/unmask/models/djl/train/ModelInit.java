package org.unmask.models.djl.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.unmask.core.error.ModelException;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertFamily;
import org.unmask.models.djl.causal.DecoderConfig;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.SafetensorsWriter;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;

/**
 * From-scratch weights for a {@code config.json}, initialised as Hugging Face's {@code _init_weights} does, under
 * the tensor names {@code save_pretrained} writes (so Unmask's loaders and {@link TrainableModels} read them):
 * linear and embedding weights normal(0, {@code initializer_range}), biases 0, LayerNorm weight 1 and bias 0,
 * RMSNorm weight 1, the padding row of embeddings that have a {@code padding_idx} zeroed (BERT/DistilBERT/Llama
 * word embeddings; RoBERTa word and position embeddings), and GPT-2's residual projections ({@code c_proj}) drawn
 * with std {@code initializer_range / sqrt(2 · n_layer)}. Tied heads (the MLM decoder, GPT-2's and tied Llama LM
 * heads) get no tensor of their own: they stay tied to the word embeddings.
 *
 * <p>Supported: BERT, RoBERTa and DistilBERT masked LMs; GPT-2 and Llama/Mistral/Qwen2 causal LMs. The values are
 * a pure function of (config, seed): each tensor draws from its own generator seeded by (seed, tensor name), in
 * Java arithmetic, so the same seed gives bit-identical weights on every machine and in every tensor order.
 */
public final class ModelInit {
    private ModelInit() {}

    /**
     * One initialised tensor (float32, row-major).
     *
     * @param shape the HF shape (Conv1D weights of GPT-2 stored [in, out] as HF stores them)
     * @param values {@code prod(shape)} values
     */
    public record Tensor(long[] shape, float[] values) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape holds " + n + " values, got " + values.length);
            }
        }
    }

    /**
     * The initial weights of the model {@code config} describes, by HF tensor name in {@code save_pretrained}
     * order.
     *
     * @throws ModelException for an architecture without from-scratch support (one line naming the supported ones)
     */
    public static Map<String, Tensor> fromScratch(ModelConfig config, long seed) throws ModelException {
        Builder b = new Builder(seed, config.positiveNumber("initializer_range", 0.02));
        if (BertFamily.of(config).isPresent()) {
            bertFamily(b, config, BertConfig.from(config));
        } else if (DecoderConfig.familyOf(config.architecture()) != null) {
            DecoderConfig d = DecoderConfig.from(config);
            switch (d.family()) {
                case GPT2 -> gpt2(b, d);
                case LLAMA -> llama(b, config, d);
                default -> throw unsupported(config);
            }
        } else {
            throw unsupported(config);
        }
        return b.out;
    }

    /** Writes {@code tensors} as one float32 {@code model.safetensors} (atomically). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        tensors.forEach((name, t) -> specs.add(new TensorSpec(name, DType.F32, t.shape())));
        try (SafetensorsWriter w = SafetensorsWriter.create(file, specs, metadata)) {
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                w.writeFloats(e.getKey(), e.getValue().values());
            }
            w.commit();
        }
    }

    private static ModelException unsupported(ModelConfig c) {
        return new ModelException(
                c.file() + ": from-scratch initialisation of \"" + c.architecture() + "\" is not supported",
                "use a BERT, RoBERTa, DistilBERT, GPT-2 or Llama/Mistral/Qwen2 config");
    }

    private static void bertFamily(Builder b, ModelConfig c, BertConfig cfg) throws ModelException {
        int h = cfg.hidden();
        int pad = cfg.padId();
        switch (cfg.family()) {
            case BERT, ROBERTA -> {
                boolean roberta = cfg.family() == BertFamily.ROBERTA;
                String e = roberta ? "roberta.embeddings." : "bert.embeddings.";
                b.normal(e + "word_embeddings.weight", pad, cfg.vocab(), h);
                b.normal(e + "position_embeddings.weight", roberta ? pad : -1, cfg.maxPositions(), h);
                b.normal(e + "token_type_embeddings.weight", -1, c.positive("type_vocab_size", 2, 1024), h);
                b.layerNorm(e + "LayerNorm", h);
                for (int i = 0; i < cfg.layers(); i++) {
                    String l = (roberta ? "roberta." : "bert.") + "encoder.layer." + i + ".";
                    for (String n : List.of("attention.self.query", "attention.self.key", "attention.self.value")) {
                        b.linear(l + n, h, h);
                    }
                    b.linear(l + "attention.output.dense", h, h);
                    b.layerNorm(l + "attention.output.LayerNorm", h);
                    b.linear(l + "intermediate.dense", cfg.intermediate(), h);
                    b.linear(l + "output.dense", h, cfg.intermediate());
                    b.layerNorm(l + "output.LayerNorm", h);
                }
                String head = roberta ? "lm_head." : "cls.predictions.transform.";
                b.linear(head + "dense", h, h);
                b.layerNorm(head + (roberta ? "layer_norm" : "LayerNorm"), h);
                b.zeros(roberta ? "lm_head.bias" : "cls.predictions.bias", cfg.vocab());
            }
            case DISTILBERT -> {
                if (c.flag("sinusoidal_pos_embds", false)) {
                    throw new ModelException(
                            c.file() + ": sinusoidal_pos_embds=true is not supported from scratch",
                            "set sinusoidal_pos_embds to false (learned positions, the released default)");
                }
                String e = "distilbert.embeddings.";
                b.normal(e + "word_embeddings.weight", pad, cfg.vocab(), h);
                b.normal(e + "position_embeddings.weight", -1, cfg.maxPositions(), h);
                b.layerNorm(e + "LayerNorm", h);
                for (int i = 0; i < cfg.layers(); i++) {
                    String l = "distilbert.transformer.layer." + i + ".";
                    for (String n : List.of("q_lin", "k_lin", "v_lin", "out_lin")) {
                        b.linear(l + "attention." + n, h, h);
                    }
                    b.layerNorm(l + "sa_layer_norm", h);
                    b.linear(l + "ffn.lin1", cfg.intermediate(), h);
                    b.linear(l + "ffn.lin2", h, cfg.intermediate());
                    b.layerNorm(l + "output_layer_norm", h);
                }
                b.linear("vocab_transform", h, h);
                b.layerNorm("vocab_layer_norm", h);
                b.zeros("vocab_projector.bias", cfg.vocab());
            }
        }
    }

    private static void gpt2(Builder b, DecoderConfig d) {
        int h = d.hidden();
        double projStd = b.std / Math.sqrt(2.0 * d.layers());
        b.normal("transformer.wte.weight", -1, d.vocab(), h);
        b.normal("transformer.wpe.weight", -1, d.maxPositions(), h);
        for (int i = 0; i < d.layers(); i++) {
            String p = "transformer.h." + i + ".";
            b.layerNorm(p + "ln_1", h);
            b.normalStd(p + "attn.c_attn.weight", b.std, h, 3L * h);
            b.zeros(p + "attn.c_attn.bias", 3L * h);
            b.normalStd(p + "attn.c_proj.weight", projStd, h, h);
            b.zeros(p + "attn.c_proj.bias", h);
            b.layerNorm(p + "ln_2", h);
            b.normalStd(p + "mlp.c_fc.weight", b.std, h, d.intermediate());
            b.zeros(p + "mlp.c_fc.bias", d.intermediate());
            b.normalStd(p + "mlp.c_proj.weight", projStd, d.intermediate(), h);
            b.zeros(p + "mlp.c_proj.bias", h);
        }
        b.layerNorm("transformer.ln_f", h);
    }

    private static void llama(Builder b, ModelConfig c, DecoderConfig d) throws ModelException {
        int h = d.hidden();
        int q = d.heads() * d.headDim();
        int kv = d.kvHeads() * d.headDim();
        int pad = c.raw().hasNonNull("pad_token_id")
                ? c.inRange("pad_token_id", c.integer("pad_token_id"), 0, d.vocab() - 1)
                : -1;
        b.normal("model.embed_tokens.weight", pad, d.vocab(), h);
        for (int i = 0; i < d.layers(); i++) {
            String l = "model.layers." + i + ".";
            b.ones(l + "input_layernorm.weight", h);
            b.linear(l + "self_attn.q_proj", q, h, d.attentionBias());
            b.linear(l + "self_attn.k_proj", kv, h, d.attentionBias());
            b.linear(l + "self_attn.v_proj", kv, h, d.attentionBias());
            b.linear(l + "self_attn.o_proj", h, q, d.outputBias());
            b.ones(l + "post_attention_layernorm.weight", h);
            b.linear(l + "mlp.gate_proj", d.intermediate(), h, d.mlpBias());
            b.linear(l + "mlp.up_proj", d.intermediate(), h, d.mlpBias());
            b.linear(l + "mlp.down_proj", h, d.intermediate(), d.mlpBias());
        }
        b.ones("model.norm.weight", h);
        if (!d.tieEmbeddings()) {
            b.normal("lm_head.weight", -1, d.vocab(), h);
        }
    }

    /** Collects tensors in order; every normal draw comes from a generator seeded by (seed, name). */
    private static final class Builder {
        final Map<String, Tensor> out = new LinkedHashMap<>();
        final long seed;
        final double std;

        Builder(long seed, double std) {
            this.seed = seed;
            this.std = std;
        }

        /** An nn.Linear [out, in] with a zero bias. */
        void linear(String name, long outDim, long inDim) {
            linear(name, outDim, inDim, true);
        }

        void linear(String name, long outDim, long inDim, boolean bias) {
            normalStd(name + ".weight", std, outDim, inDim);
            if (bias) {
                zeros(name + ".bias", outDim);
            }
        }

        /** An nn.Embedding; {@code paddingRow} ≥ 0 is zeroed as HF zeroes {@code padding_idx}. */
        void normal(String name, int paddingRow, long rows, long cols) {
            Tensor t = normalStd(name, std, rows, cols);
            if (paddingRow >= 0 && paddingRow < rows) {
                java.util.Arrays.fill(t.values(), (int) (paddingRow * cols), (int) ((paddingRow + 1) * cols), 0f);
            }
        }

        Tensor normalStd(String name, double s, long... shape) {
            SplittableRandom r = new SplittableRandom(Seeds.derive(seed, nameHash(name)));
            float[] v = new float[size(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (gaussian(r) * s);
            }
            return put(name, shape, v);
        }

        void layerNorm(String name, long h) {
            ones(name + ".weight", h);
            zeros(name + ".bias", h);
        }

        void ones(String name, long n) {
            float[] v = new float[size(n)];
            java.util.Arrays.fill(v, 1f);
            put(name, new long[] {n}, v);
        }

        void zeros(String name, long n) {
            put(name, new long[] {n}, new float[size(n)]);
        }

        private Tensor put(String name, long[] shape, float[] v) {
            Tensor t = new Tensor(shape, v);
            out.put(name, t);
            return t;
        }

        private static int size(long... shape) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a tensor of " + n + " values is too large to initialise");
            }
            return (int) n;
        }
    }

    /** FNV-1a over the UTF-8 name: stable across JVMs (unlike identity hashes), so seeds are reproducible. */
    static long nameHash(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A standard normal draw (Box–Muller); StrictMath so every JVM and CPU gives the same bits. */
    static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
