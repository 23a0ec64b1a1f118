package org.unmask.models.djl.causal;

import java.util.regex.Pattern;
import org.unmask.core.error.ModelException;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.causal.DecoderConfig.Family;
import org.unmask.models.internal.ShapeCheck;
import org.unmask.models.safetensors.ShardedCheckpoint;

/**
 * Checks a decoder checkpoint against its {@link DecoderConfig} from the safetensors headers, before the weights are
 * copied into native memory: the layer count and the shapes of the embeddings, the attention and MLP projections
 * and an untied LM head, so that a config that disagrees with its weights is an error naming the field and tensor
 * rather than a native shape error (or a silently different model).
 */
public final class DecoderShapes {
    private static final Pattern GPT_LAYER = Pattern.compile("(?:^|\\.)h\\.(\\d+)\\.");
    private static final Pattern LLAMA_LAYER = Pattern.compile("^model\\.layers\\.(\\d+)\\.");

    private DecoderShapes() {}

    /** Throws a {@link ModelException} naming the field and tensor when {@code ckpt} does not fit {@code cfg}. */
    public static void check(ModelConfig config, DecoderConfig cfg, ShardedCheckpoint ckpt) throws ModelException {
        ShapeCheck s = new ShapeCheck(config, ckpt);
        long v = cfg.vocab();
        long h = cfg.hidden();
        switch (cfg.family()) {
            case GPT2 -> {
                s.expectLayers(GPT_LAYER, "n_layer", cfg.layers());
                String p = ckpt.contains("transformer.wte.weight") ? "transformer." : "";
                s.expect(p + "wte.weight", "vocab_size x n_embd", v, h);
                s.expect(p + "wpe.weight", "n_positions x n_embd", cfg.maxPositions(), h);
                s.expectIfPresent("lm_head.weight", "vocab_size x n_embd", v, h);
                for (int i = 0; i < cfg.layers(); i++) {
                    String l = p + "h." + i + ".";
                    // Conv1D stores [in, out]
                    s.expect(l + "attn.c_attn.weight", "n_embd x 3*n_embd", h, 3 * h);
                    s.expect(l + "attn.c_proj.weight", "n_embd x n_embd", h, h);
                    s.expect(l + "mlp.c_fc.weight", "n_embd x n_inner", h, cfg.intermediate());
                    s.expect(l + "mlp.c_proj.weight", "n_inner x n_embd", cfg.intermediate(), h);
                    s.expect(l + "ln_1.weight", "n_embd", h);
                }
            }
            case BLOOM -> {
                s.expectLayers(GPT_LAYER, "n_layer", cfg.layers());
                String p = ckpt.contains("transformer.word_embeddings.weight") ? "transformer." : "";
                s.expect(p + "word_embeddings.weight", "vocab_size x hidden_size", v, h);
                s.expectIfPresent("lm_head.weight", "vocab_size x hidden_size", v, h);
                for (int i = 0; i < cfg.layers(); i++) {
                    String l = p + "h." + i + ".";
                    s.expect(l + "self_attention.query_key_value.weight", "3*hidden_size x hidden_size", 3 * h, h);
                    s.expect(l + "self_attention.dense.weight", "hidden_size x hidden_size", h, h);
                    s.expect(l + "mlp.dense_h_to_4h.weight", "4*hidden_size x hidden_size", 4 * h, h);
                    s.expect(l + "mlp.dense_4h_to_h.weight", "hidden_size x 4*hidden_size", h, 4 * h);
                }
            }
            case LLAMA, OLMO, OLMO2 -> {
                s.expectLayers(LLAMA_LAYER, "num_hidden_layers", cfg.layers());
                s.expect("model.embed_tokens.weight", "vocab_size x hidden_size", v, h);
                if (!cfg.tieEmbeddings()) {
                    s.expectIfPresent("lm_head.weight", "vocab_size x hidden_size", v, h);
                }
                long q = (long) cfg.heads() * cfg.headDim();
                long kv = (long) cfg.kvHeads() * cfg.headDim();
                String qf = "num_attention_heads x head_dim";
                String kvf = "num_key_value_heads x head_dim";
                long inter = cfg.intermediate();
                for (int i = 0; i < cfg.layers(); i++) {
                    String a = "model.layers." + i + ".self_attn.";
                    s.expect(a + "q_proj.weight", qf + ", hidden_size", q, h);
                    s.expect(a + "k_proj.weight", kvf + ", hidden_size", kv, h);
                    s.expect(a + "v_proj.weight", kvf + ", hidden_size", kv, h);
                    s.expect(a + "o_proj.weight", "hidden_size, " + qf, h, q);
                    if (cfg.family() == Family.OLMO2) {
                        s.expect(a + "q_norm.weight", qf, q);
                        s.expect(a + "k_norm.weight", kvf, kv);
                    }
                    String m = "model.layers." + i + ".mlp.";
                    s.expect(m + "gate_proj.weight", "intermediate_size x hidden_size", inter, h);
                    s.expect(m + "up_proj.weight", "intermediate_size x hidden_size", inter, h);
                    s.expect(m + "down_proj.weight", "hidden_size x intermediate_size", h, inter);
                }
            }
            default -> throw new IllegalStateException("no shape rules for " + cfg.family());
        }
    }
}
