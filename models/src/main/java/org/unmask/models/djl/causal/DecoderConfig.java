package org.unmask.models.djl.causal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.unmask.core.error.ModelException;
import org.unmask.models.config.ModelConfig;

/**
 * The hyper-parameters of a decoder-only causal LM, read from a Hugging Face {@code config.json}
 * under each family's own field names (GPT-2 {@code n_embd}, BLOOM {@code n_head}, Llama
 * {@code num_key_value_heads}...).
 *
 * @param family which forward pass applies
 * @param vocab vocabulary size (rows of the embedding matrix)
 * @param hidden model width
 * @param layers decoder blocks
 * @param heads query heads
 * @param kvHeads key/value heads (fewer than {@code heads} for grouped-query attention)
 * @param headDim width of one head
 * @param intermediate feed-forward width
 * @param maxPositions context window in tokens; inputs longer than this are rejected
 * @param slidingWindow Mistral's {@code sliding_window}: a query attends to at most this many keys, itself and
 *     the ones just before it (HF's {@code kv_idx > q_idx - sliding_window}); 0 = full causal attention
 * @param normEps LayerNorm/RMSNorm epsilon
 * @param ropeTheta RoPE base (Llama family)
 * @param ropeScaling RoPE frequency scaling ({@code rope_scaling}: none, linear or llama3)
 * @param clipQkv clamp of the q/k/v projections (OLMo-1 {@code clip_qkv}); 0 = off
 * @param attentionBias whether the q/k/v projections carry a bias (Llama {@code attention_bias}; always in Qwen2)
 * @param outputBias whether the attention output projection carries one (Llama {@code attention_bias}; never in
 *     Qwen2)
 * @param mlpBias whether the SwiGLU projections carry a bias (Llama {@code mlp_bias})
 * @param tieEmbeddings whether the LM head reuses the input embedding matrix
 * @param bosId beginning-of-text id, -1 if none
 * @param eosIds end-of-text ids that stop generation
 * @param padId id used to pad batches (never attended by real tokens)
 */
public record DecoderConfig(
        Family family,
        int vocab,
        int hidden,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int intermediate,
        int maxPositions,
        int slidingWindow,
        float normEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        float clipQkv,
        boolean attentionBias,
        boolean outputBias,
        boolean mlpBias,
        boolean tieEmbeddings,
        int bosId,
        int[] eosIds,
        int padId) {

    /** The forward passes implemented here. */
    public enum Family {
        /** GPT-2: learned positions, pre-LayerNorm, tanh GELU, Conv1D weights stored [in, out]. */
        GPT2,
        /** Llama, Mistral and Qwen2: RoPE, RMSNorm, grouped-query attention, SwiGLU. */
        LLAMA,
        /** OLMo-1: as Llama but LayerNorm without parameters and optional q/k/v clipping. */
        OLMO,
        /** OLMo-2: RMSNorm after (not before) each sub-layer and RMSNorm on the q and k projections. */
        OLMO2,
        /** BLOOM: ALiBi position biases, fused query_key_value, LayerNorm after the embeddings. */
        BLOOM
    }

    /**
     * HF {@code rope_scaling}: {@code NONE} ({@code null} or {@code "default"}), {@code LINEAR} (frequencies
     * divided by {@code factor}) or {@code LLAMA3} (Llama 3.1+: low frequencies divided by {@code factor},
     * high ones kept, a smooth blend between, from {@code low_freq_factor}, {@code high_freq_factor} and
     * {@code original_max_position_embeddings}).
     */
    public record RopeScaling(
            Type type, double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
        /** The supported {@code rope_type}s. */
        public enum Type {
            NONE,
            LINEAR,
            LLAMA3
        }

        public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 1, 1, 0);
    }

    /** {@code config.json} architectures this package runs, and their family. */
    public static final List<String> ARCHITECTURES = List.of(
            "GPT2LMHeadModel",
            "LlamaForCausalLM",
            "MistralForCausalLM",
            "Qwen2ForCausalLM",
            "OlmoForCausalLM",
            "Olmo2ForCausalLM",
            "BloomForCausalLM");

    /** The family of a {@code config.json} architecture name, or null when not a supported causal LM. */
    public static Family familyOf(String architecture) {
        return switch (architecture) {
            case "GPT2LMHeadModel" -> Family.GPT2;
            case "LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM" -> Family.LLAMA;
            case "OlmoForCausalLM" -> Family.OLMO;
            case "Olmo2ForCausalLM" -> Family.OLMO2;
            case "BloomForCausalLM" -> Family.BLOOM;
            default -> null;
        };
    }

    /** Reads the config of a supported causal LM. */
    public static DecoderConfig from(ModelConfig c) throws ModelException {
        Family f = familyOf(c.architecture());
        if (f == null) {
            throw new ModelException(
                    c.file() + ": architecture \"" + c.architecture() + "\" is not a supported causal LM",
                    "supported: " + String.join(", ", ARCHITECTURES));
        }
        DecoderConfig d = switch (f) {
            case GPT2 -> gpt2(c);
            case BLOOM -> bloom(c);
            case LLAMA, OLMO, OLMO2 -> llama(c, f);
        };
        d.check(c);
        return d;
    }

    private static DecoderConfig gpt2(ModelConfig c) throws ModelException {
        String act = c.text("activation_function", "gelu_new");
        if (!act.equals("gelu_new") && !act.equals("gelu_pytorch_tanh")) {
            throw new ModelException(
                    c.file() + ": activation_function \"" + act + "\" is not supported for GPT-2",
                    "only the tanh GELU (\"gelu_new\") of the released GPT-2 checkpoints is implemented");
        }
        if (c.flag("scale_attn_by_inverse_layer_idx", false) || c.flag("reorder_and_upcast_attn", false)) {
            throw new ModelException(
                    c.file() + ": scale_attn_by_inverse_layer_idx/reorder_and_upcast_attn are not" + " supported",
                    "use a checkpoint with the standard GPT-2 attention");
        }
        int vocab = c.positive("vocab_size", ModelConfig.MAX_DIM);
        int hidden = c.positive("n_embd", ModelConfig.MAX_DIM);
        int heads = c.positive("n_head", ModelConfig.MAX_DIM);
        divides(c, "n_head", heads, "n_embd", hidden);
        int inner = c.positive("n_inner", 4 * hidden, ModelConfig.MAX_DIM);
        int eos = tokenId(c, "eos_token_id", c.integer("eos_token_id", 50256), vocab);
        return new DecoderConfig(
                Family.GPT2,
                vocab,
                hidden,
                c.positive("n_layer", ModelConfig.MAX_LAYERS),
                heads,
                heads,
                hidden / heads,
                inner,
                c.positive("n_positions", ModelConfig.MAX_DIM),
                0,
                eps(c, "layer_norm_epsilon", 1e-5),
                0,
                RopeScaling.NONE,
                0,
                true,
                true,
                true,
                true,
                tokenId(c, "bos_token_id", c.integer("bos_token_id", eos), vocab),
                new int[] {eos},
                padId(c, eos, vocab));
    }

    private static DecoderConfig bloom(ModelConfig c) throws ModelException {
        int vocab = c.positive("vocab_size", ModelConfig.MAX_DIM);
        String hiddenField = present(c, "hidden_size", "n_embed");
        String headsField = present(c, "n_head", "num_attention_heads");
        int hidden = c.positive(hiddenField, ModelConfig.MAX_DIM);
        int heads = c.positive(headsField, ModelConfig.MAX_DIM);
        divides(c, headsField, heads, hiddenField, hidden);
        int layers = c.positive(present(c, "n_layer", "num_hidden_layers"), ModelConfig.MAX_LAYERS);
        if (c.flag("apply_residual_connection_post_layernorm", false)) {
            throw new ModelException(
                    c.file() + ": apply_residual_connection_post_layernorm=true is not supported",
                    "the released BLOOM checkpoints use false");
        }
        if (hidden > ModelConfig.MAX_DIM / 4) {
            throw c.bad(hiddenField, "is " + hidden + "; at most " + ModelConfig.MAX_DIM / 4 + " is supported");
        }
        // ALiBi has no learned positions; seq_length is the training context, used as the window
        int window = c.positive("seq_length", 2048, ModelConfig.MAX_DIM);
        int[] eos = eosIds(c, 2, vocab);
        return new DecoderConfig(
                Family.BLOOM,
                vocab,
                hidden,
                layers,
                heads,
                heads,
                hidden / heads,
                4 * hidden,
                window,
                0,
                eps(c, "layer_norm_epsilon", 1e-5),
                0,
                RopeScaling.NONE,
                0,
                true,
                true,
                true,
                true,
                tokenId(c, "bos_token_id", c.integer("bos_token_id", 1), vocab),
                eos,
                padId(c, 3, vocab));
    }

    private static DecoderConfig llama(ModelConfig c, Family f) throws ModelException {
        String act = c.text("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new ModelException(
                    c.file() + ": hidden_act \"" + act + "\" is not supported",
                    "only SwiGLU with \"silu\" is implemented for the Llama family");
        }
        int vocab = c.positive("vocab_size", ModelConfig.MAX_DIM);
        int hidden = c.positive("hidden_size", ModelConfig.MAX_DIM);
        int heads = c.positive("num_attention_heads", ModelConfig.MAX_DIM);
        int kv = c.positive("num_key_value_heads", heads, ModelConfig.MAX_DIM);
        if (heads % kv != 0) {
            throw c.bad("num_key_value_heads", "is " + kv + ", which does not divide num_attention_heads " + heads);
        }
        // as LlamaConfig: head_dim defaults to hidden_size // num_attention_heads; the q/k/v shapes are checked later
        int headDim = c.positive("head_dim", Math.max(hidden / heads, 1), ModelConfig.MAX_DIM);
        if (headDim % 2 != 0) {
            throw c.bad("head_dim", "is " + headDim + "; RoPE needs an even head size");
        }
        if ((long) heads * headDim > ModelConfig.MAX_DIM) {
            throw c.bad(
                    "num_attention_heads",
                    "x head_dim is " + (long) heads * headDim + "; at most " + ModelConfig.MAX_DIM + " is supported");
        }
        RopeScaling scale = ropeScaling(c);
        float clipQkv = (float) c.number("clip_qkv", 0);
        if (clipQkv < 0) {
            throw c.bad("clip_qkv", "is " + clipQkv + "; it must be positive (or null for no clipping)");
        }
        int window = c.positive("max_position_embeddings", ModelConfig.MAX_DIM);
        boolean qwen2 = c.architecture().equals("Qwen2ForCausalLM");
        if (qwen2 && c.flag("use_sliding_window", false)) {
            // Qwen2 slides only in the layers from max_window_layers on; released checkpoints keep it off
            throw new ModelException(
                    c.file() + ": use_sliding_window=true is not supported for Qwen2",
                    "Unmask implements Qwen2 with full attention in every layer (the released configs' setting)");
        }
        // MistralConfig sets sliding_window (null = off); Qwen2's is used only with use_sliding_window
        int slidingWindow = c.architecture().startsWith("Mistral")
                ? c.inRange("sliding_window", c.integer("sliding_window", 0), 0, Integer.MAX_VALUE)
                : 0;
        int eosFallback = f == Family.LLAMA ? 2 : 50279;
        int[] eos = eosIds(c, eosFallback, vocab);
        int bos = c.integer("bos_token_id", -1);
        return new DecoderConfig(
                f,
                vocab,
                hidden,
                c.positive("num_hidden_layers", ModelConfig.MAX_LAYERS),
                heads,
                kv,
                headDim,
                c.positive("intermediate_size", ModelConfig.MAX_DIM),
                window,
                slidingWindow,
                eps(c, "rms_norm_eps", 1e-5),
                ropeTheta(c),
                scale,
                clipQkv,
                qwen2 || c.flag("attention_bias", false),
                !qwen2 && c.flag("attention_bias", false),
                c.flag("mlp_bias", false),
                // LlamaConfig, OlmoConfig and Olmo2Config all default to untied; a missing lm_head.weight ties anyway
                c.flag("tie_word_embeddings", false),
                bos < 0 ? -1 : tokenId(c, "bos_token_id", bos, vocab),
                eos,
                padId(c, eos[0], vocab));
    }

    /** {@code divisorField} must divide {@code field} (attention heads split the width evenly). */
    private static void divides(ModelConfig c, String divisorField, int divisor, String field, int value)
            throws ModelException {
        if (value % divisor != 0) {
            throw c.bad(divisorField, "is " + divisor + ", which does not divide " + field + " " + value);
        }
    }

    /** A LayerNorm/RMSNorm epsilon: positive and still positive as a float. */
    private static float eps(ModelConfig c, String field, double fallback) throws ModelException {
        float e = (float) c.positiveNumber(field, fallback);
        if (!(e > 0) || Float.isInfinite(e)) {
            throw c.bad(field, "is out of float32 range");
        }
        return e;
    }

    /** A special token id, which must index the embedding matrix. */
    private static int tokenId(ModelConfig c, String field, int id, int vocab) throws ModelException {
        return c.inRange(field, id, 0, vocab - 1);
    }

    /**
     * The padding id. Padding positions are never attended and never read, so an id outside the vocabulary (some
     * converted Llama configs say {@code -1}) is replaced by {@code fallback} rather than rejected.
     */
    private static int padId(ModelConfig c, int fallback, int vocab) throws ModelException {
        int pad = c.integer("pad_token_id", fallback);
        return pad >= 0 && pad < vocab ? pad : fallback;
    }

    /**
     * The RoPE settings object: transformers 5 writes {@code rope_parameters} (theta and scaling in one object),
     * released checkpoints written by 4.x carry a top-level {@code rope_theta} and a {@code rope_scaling} object.
     */
    private static JsonNode ropeParameters(ModelConfig c) {
        JsonNode p = c.raw().get("rope_parameters");
        return p != null && p.isObject() ? p : null;
    }

    private static double ropeTheta(ModelConfig c) throws ModelException {
        JsonNode p = ropeParameters(c);
        if (p != null && p.hasNonNull("rope_theta")) {
            return ropeNumber(c, p, "rope_parameters.", "rope_theta", 10000.0);
        }
        return c.positiveNumber("rope_theta", 10000.0);
    }

    private static RopeScaling ropeScaling(ModelConfig c) throws ModelException {
        JsonNode p = ropeParameters(c);
        JsonNode rs = p != null ? p : c.raw().get("rope_scaling");
        if (rs == null || rs.isNull()) {
            return RopeScaling.NONE;
        }
        if (!rs.isObject()) {
            throw c.bad(p != null ? "rope_parameters" : "rope_scaling", "is not an object");
        }
        String type = rs.path("rope_type").asText(rs.path("type").asText(""));
        String where = p != null ? "rope_parameters." : "rope_scaling.";
        return switch (type) {
            case "default" -> RopeScaling.NONE;
            case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, ropeNumber(c, rs, where, "factor", 1), 1, 1, 0);
            case "llama3" -> llama3(c, rs, where);
            case "" -> p != null ? RopeScaling.NONE : unsupportedRope(c, type);
            default -> unsupportedRope(c, type);
        };
    }

    private static RopeScaling llama3(ModelConfig c, JsonNode rs, String where) throws ModelException {
        double low = ropeNumber(c, rs, where, "low_freq_factor", 1);
        double high = ropeNumber(c, rs, where, "high_freq_factor", 4);
        if (!(high > low)) {
            // the smooth blend divides by high - low
            throw c.bad(where + "high_freq_factor", "is " + high + "; it must be greater than low_freq_factor " + low);
        }
        JsonNode orig = rs.path("original_max_position_embeddings");
        int originalMax = orig.isMissingNode() || orig.isNull()
                ? 8192
                : orig.canConvertToInt() && orig.isIntegralNumber() && orig.asInt() > 0 ? orig.asInt() : -1;
        if (originalMax < 1) {
            throw c.bad(where + "original_max_position_embeddings", "is " + orig + "; it must be a positive integer");
        }
        return new RopeScaling(RopeScaling.Type.LLAMA3, ropeNumber(c, rs, where, "factor", 1), low, high, originalMax);
    }

    /** A positive, finite number of the RoPE settings. */
    private static double ropeNumber(ModelConfig c, JsonNode rs, String where, String field, double fallback)
            throws ModelException {
        JsonNode v = rs.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || !(v.asDouble() > 0)) {
            throw c.bad(where + field, "is " + v + "; it must be a positive number");
        }
        return v.asDouble();
    }

    private static RopeScaling unsupportedRope(ModelConfig c, String type) throws ModelException {
        throw new ModelException(
                c.file() + ": rope_scaling type \"" + type + "\" is not supported",
                "supported: none, \"default\", \"linear\" and \"llama3\"");
    }

    /** Which of two alternative field names the config uses (BLOOM configs use both spellings). */
    private static String present(ModelConfig c, String name, String alternative) {
        return c.raw().hasNonNull(name) || !c.raw().hasNonNull(alternative) ? name : alternative;
    }

    /** {@code eos_token_id}: one id or a list of ids, each inside the vocabulary. */
    private static int[] eosIds(ModelConfig c, int fallback, int vocab) throws ModelException {
        JsonNode e = c.raw().get("eos_token_id");
        if (e == null || e.isNull()) {
            return new int[] {c.inRange("eos_token_id", fallback, 0, vocab - 1)};
        }
        if (e.isArray()) {
            if (e.isEmpty()) {
                throw c.bad("eos_token_id", "is an empty list");
            }
            int[] out = new int[e.size()];
            for (int i = 0; i < out.length; i++) {
                JsonNode id = e.get(i);
                if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                    throw c.bad("eos_token_id", "holds " + id + ", not an integer id");
                }
                out[i] = c.inRange("eos_token_id", id.asInt(), 0, vocab - 1);
            }
            return out;
        }
        return new int[] {tokenId(c, "eos_token_id", c.integer("eos_token_id"), vocab)};
    }

    private void check(ModelConfig c) throws ModelException {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new ModelException(
                    c.file() + ": " + heads + " attention heads cannot be grouped over " + kvHeads + " key/value heads",
                    "num_attention_heads must be a multiple of num_key_value_heads");
        }
        if (family != Family.LLAMA && family != Family.OLMO && family != Family.OLMO2 && hidden % heads != 0) {
            throw new ModelException(
                    c.file() + ": hidden size " + hidden + " is not a multiple of " + heads + " heads",
                    "fix config.json");
        }
        if (headDim % 2 != 0 && (family == Family.LLAMA || family == Family.OLMO || family == Family.OLMO2)) {
            throw new ModelException(
                    c.file() + ": head_dim " + headDim + " is odd; RoPE needs an even one", "fix config.json");
        }
    }

    /** Whether {@code id} ends generation. */
    public boolean isEos(int id) {
        for (int e : eosIds) {
            if (e == id) {
                return true;
            }
        }
        return false;
    }
}
