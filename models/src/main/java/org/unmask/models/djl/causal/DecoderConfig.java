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
public record DecoderConfig(Family family, int vocab, int hidden, int layers, int heads, int kvHeads, int headDim,
        int intermediate, int maxPositions, int slidingWindow, float normEps, double ropeTheta, RopeScaling ropeScaling, float clipQkv,
        boolean attentionBias, boolean outputBias, boolean mlpBias, boolean tieEmbeddings, int bosId, int[] eosIds, int padId) {

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
    public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor,
            int originalMaxPositions) {
        /** The supported {@code rope_type}s. */
        public enum Type { NONE, LINEAR, LLAMA3 }

        public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 1, 1, 0);
    }

    /** {@code config.json} architectures this package runs, and their family. */
    public static final List<String> ARCHITECTURES = List.of("GPT2LMHeadModel", "LlamaForCausalLM",
            "MistralForCausalLM", "Qwen2ForCausalLM", "OlmoForCausalLM", "Olmo2ForCausalLM", "BloomForCausalLM");

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
            throw new ModelException(c.file() + ": architecture \"" + c.architecture()
                    + "\" is not a supported causal LM",
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
            throw new ModelException(c.file() + ": activation_function \"" + act + "\" is not supported for GPT-2",
                    "only the tanh GELU (\"gelu_new\") of the released GPT-2 checkpoints is implemented");
        }
        if (c.raw().path("scale_attn_by_inverse_layer_idx").asBoolean(false)
                || c.raw().path("reorder_and_upcast_attn").asBoolean(false)) {
            throw new ModelException(c.file() + ": scale_attn_by_inverse_layer_idx/reorder_and_upcast_attn are not"
                    + " supported", "use a checkpoint with the standard GPT-2 attention");
        }
        int hidden = c.integer("n_embd");
        int heads = c.integer("n_head");
        int inner = c.integer("n_inner", 4 * hidden);
        int eos = c.integer("eos_token_id", 50256);
        return new DecoderConfig(Family.GPT2, c.integer("vocab_size"), hidden, c.integer("n_layer"), heads, heads,
                hidden / Math.max(heads, 1), inner, c.integer("n_positions"), 0,
                (float) c.number("layer_norm_epsilon", 1e-5), 0, RopeScaling.NONE, 0, true, true, true, true,
                c.integer("bos_token_id", eos), new int[] {eos}, c.integer("pad_token_id", eos));
    }

    private static DecoderConfig bloom(ModelConfig c) throws ModelException {
        int hidden = firstInteger(c, "hidden_size", "n_embed");
        int heads = firstInteger(c, "n_head", "num_attention_heads");
        int layers = firstInteger(c, "n_layer", "num_hidden_layers");
        if (c.raw().path("apply_residual_connection_post_layernorm").asBoolean(false)) {
            throw new ModelException(c.file() + ": apply_residual_connection_post_layernorm=true is not supported",
                    "the released BLOOM checkpoints use false");
        }
        // ALiBi has no learned positions; seq_length is the training context, used as the window
        int window = c.integer("seq_length", 2048);
        return new DecoderConfig(Family.BLOOM, c.integer("vocab_size"), hidden, layers, heads, heads,
                hidden / Math.max(heads, 1), 4 * hidden, window, 0, (float) c.number("layer_norm_epsilon", 1e-5), 0,
                RopeScaling.NONE, 0, true, true, true, true, c.integer("bos_token_id", 1), eosIds(c.raw(), 2),
                c.integer("pad_token_id", 3));
    }

    private static DecoderConfig llama(ModelConfig c, Family f) throws ModelException {
        String act = c.text("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new ModelException(c.file() + ": hidden_act \"" + act + "\" is not supported",
                    "only SwiGLU with \"silu\" is implemented for the Llama family");
        }
        int hidden = c.integer("hidden_size");
        int heads = c.integer("num_attention_heads");
        int kv = c.integer("num_key_value_heads", heads);
        int headDim = c.integer("head_dim", hidden / Math.max(heads, 1));
        RopeScaling scale = ropeScaling(c);
        JsonNode clip = c.raw().get("clip_qkv");
        float clipQkv = clip == null || clip.isNull() ? 0f : (float) clip.asDouble();
        int window = c.integer("max_position_embeddings");
        JsonNode sliding = c.raw().get("sliding_window");
        boolean qwen2 = c.architecture().equals("Qwen2ForCausalLM");
        if (qwen2 && c.raw().path("use_sliding_window").asBoolean(false)) {
            // Qwen2 slides only in the layers from max_window_layers on; released checkpoints keep it off
            throw new ModelException(c.file() + ": use_sliding_window=true is not supported for Qwen2",
                    "Unmask implements Qwen2 with full attention in every layer (the released configs' setting)");
        }
        // MistralConfig sets sliding_window (null = off); Qwen2's is used only with use_sliding_window
        int slidingWindow = sliding != null && sliding.canConvertToInt() && sliding.asInt() > 0
                && c.architecture().startsWith("Mistral") ? sliding.asInt() : 0;
        int eosFallback = f == Family.LLAMA ? 2 : 50279;
        int[] eos = eosIds(c.raw(), eosFallback);
        return new DecoderConfig(f, c.integer("vocab_size"), hidden, c.integer("num_hidden_layers"), heads, kv, headDim,
                c.integer("intermediate_size"), window, slidingWindow,
                (float) c.number("rms_norm_eps", 1e-5), ropeTheta(c), scale, clipQkv,
                qwen2 || c.raw().path("attention_bias").asBoolean(false),
                !qwen2 && c.raw().path("attention_bias").asBoolean(false), c.raw().path("mlp_bias").asBoolean(false),
                // LlamaConfig, OlmoConfig and Olmo2Config all default to untied; a missing lm_head.weight ties anyway
                c.raw().path("tie_word_embeddings").asBoolean(false),
                c.integer("bos_token_id", -1), eos, c.integer("pad_token_id", eos[0]));
    }

    /**
     * The RoPE settings object: transformers 5 writes {@code rope_parameters} (theta and scaling in one object),
     * released checkpoints written by 4.x carry a top-level {@code rope_theta} and a {@code rope_scaling} object.
     */
    private static JsonNode ropeParameters(ModelConfig c) {
        JsonNode p = c.raw().get("rope_parameters");
        return p != null && p.isObject() ? p : null;
    }

    private static double ropeTheta(ModelConfig c) {
        JsonNode p = ropeParameters(c);
        if (p != null && p.path("rope_theta").isNumber()) {
            return p.path("rope_theta").asDouble();
        }
        return c.number("rope_theta", 10000.0);
    }

    private static RopeScaling ropeScaling(ModelConfig c) throws ModelException {
        JsonNode p = ropeParameters(c);
        JsonNode rs = p != null ? p : c.raw().get("rope_scaling");
        if (rs == null || rs.isNull()) {
            return RopeScaling.NONE;
        }
        String type = rs.path("rope_type").asText(rs.path("type").asText(""));
        double factor = rs.path("factor").asDouble(1);
        return switch (type) {
            case "default" -> RopeScaling.NONE;
            case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, factor, 1, 1, 0);
            case "llama3" -> new RopeScaling(RopeScaling.Type.LLAMA3, factor, rs.path("low_freq_factor").asDouble(1),
                    rs.path("high_freq_factor").asDouble(4), rs.path("original_max_position_embeddings").asInt(8192));
            case "" -> p != null ? RopeScaling.NONE : unsupportedRope(c, type);
            default -> unsupportedRope(c, type);
        };
    }

    private static RopeScaling unsupportedRope(ModelConfig c, String type) throws ModelException {
        throw new ModelException(c.file() + ": rope_scaling type \"" + type + "\" is not supported",
                "supported: none, \"default\", \"linear\" and \"llama3\"");
    }

    /** The first of two alternative field names that is present (BLOOM configs use both spellings). */
    private static int firstInteger(ModelConfig c, String name, String alternative) throws ModelException {
        int v = c.integer(alternative, -1);
        return c.raw().has(name) || v < 0 ? c.integer(name) : v;
    }

    private static int[] eosIds(JsonNode raw, int fallback) {
        JsonNode e = raw.get("eos_token_id");
        if (e == null || e.isNull()) {
            return new int[] {fallback};
        }
        if (e.isArray()) {
            int[] out = new int[e.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = e.get(i).asInt();
            }
            return out;
        }
        return new int[] {e.asInt()};
    }

    private void check(ModelConfig c) throws ModelException {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new ModelException(c.file() + ": " + heads + " attention heads cannot be grouped over " + kvHeads
                    + " key/value heads", "num_attention_heads must be a multiple of num_key_value_heads");
        }
        if (family != Family.LLAMA && family != Family.OLMO && family != Family.OLMO2 && hidden % heads != 0) {
            throw new ModelException(c.file() + ": hidden size " + hidden + " is not a multiple of " + heads + " heads",
                    "fix config.json");
        }
        if (headDim % 2 != 0 && (family == Family.LLAMA || family == Family.OLMO || family == Family.OLMO2)) {
            throw new ModelException(c.file() + ": head_dim " + headDim + " is odd; RoPE needs an even one",
                    "fix config.json");
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
