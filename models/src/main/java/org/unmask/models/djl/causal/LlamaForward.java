package org.unmask.models.djl.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.unmask.core.error.ModelException;
import org.unmask.models.djl.DropoutRates;
import org.unmask.models.djl.Scalars;
import org.unmask.models.djl.WeightMatrix;
import org.unmask.models.djl.Weights;
import org.unmask.models.djl.causal.DecoderConfig.Family;

/**
 * The Llama-shaped decoders, which share HF tensor names ({@code model.layers.N.self_attn.q_proj}...):
 * <ul>
 *   <li>Llama/Mistral/Qwen2: pre-RMSNorm, RoPE (rotate-half), grouped-query attention, SwiGLU; Mistral's
 *       sliding-window attention as a mask over the full (never evicted) KV cache;
 *   <li>OLMo-1 ({@code OlmoForCausalLM}): LayerNorm without weight or bias (eps 1e-5, hard-coded in HF)
 *       and q/k/v clamped to ±{@code clip_qkv};
 *   <li>OLMo-2 ({@code Olmo2ForCausalLM}): RMSNorm on the full q and k projections, and RMSNorm applied to
 *       each sub-layer's output before the residual add ({@code post_attention_layernorm},
 *       {@code post_feedforward_layernorm}) instead of to its input.
 * </ul>
 */
final class LlamaForward extends DecoderForward {
    private static final float OLMO_LN_EPS = 1e-5f;

    private final WeightMatrix embed;
    private final NDArray finalNorm;
    private final WeightMatrix lmHead;
    private final NDArray ones;
    private final NDArray zeros;
    private final float[] invFreq;
    private final List<Block> blocks = new ArrayList<>();

    private record Block(
            NDArray inNorm,
            NDArray postNorm,
            WeightMatrix qW,
            NDArray qB,
            WeightMatrix kW,
            NDArray kB,
            WeightMatrix vW,
            NDArray vB,
            WeightMatrix oW,
            NDArray oB,
            NDArray qNorm,
            NDArray kNorm,
            WeightMatrix gateW,
            NDArray gateB,
            WeightMatrix upW,
            NDArray upB,
            WeightMatrix downW,
            NDArray downB) {}

    LlamaForward(Weights w, DecoderConfig cfg, NDManager weightManager) throws ModelException {
        super(cfg);
        Family f = cfg.family();
        embed = w.matrix("model.embed_tokens.weight");
        finalNorm = f == Family.OLMO ? null : w.get("model.norm.weight");
        lmHead = cfg.tieEmbeddings() || w.find("lm_head.weight") == null ? embed : w.matrix("lm_head.weight");
        ones = weightManager.ones(new Shape(cfg.hidden()));
        zeros = weightManager.zeros(new Shape(cfg.hidden()));
        invFreq = Rope.inverseFrequencies(cfg.headDim(), cfg.ropeTheta(), cfg.ropeScaling());
        for (int i = 0; i < cfg.layers(); i++) {
            String l = "model.layers." + i + ".";
            String a = l + "self_attn.";
            boolean ab = cfg.attentionBias();
            boolean mb = cfg.mlpBias();
            blocks.add(new Block(
                    f == Family.OLMO2 ? w.get(l + "post_attention_layernorm.weight") : norm(w, l + "input_layernorm"),
                    f == Family.OLMO2
                            ? w.get(l + "post_feedforward_layernorm.weight")
                            : norm(w, l + "post_attention_layernorm"),
                    w.matrix(a + "q_proj.weight"),
                    ab ? w.get(a + "q_proj.bias") : null,
                    w.matrix(a + "k_proj.weight"),
                    ab ? w.get(a + "k_proj.bias") : null,
                    w.matrix(a + "v_proj.weight"),
                    ab ? w.get(a + "v_proj.bias") : null,
                    w.matrix(a + "o_proj.weight"),
                    cfg.outputBias() ? w.get(a + "o_proj.bias") : null,
                    f == Family.OLMO2 ? w.get(a + "q_norm.weight") : null,
                    f == Family.OLMO2 ? w.get(a + "k_norm.weight") : null,
                    w.matrix(l + "mlp.gate_proj.weight"),
                    mb ? w.get(l + "mlp.gate_proj.bias") : null,
                    w.matrix(l + "mlp.up_proj.weight"),
                    mb ? w.get(l + "mlp.up_proj.bias") : null,
                    w.matrix(l + "mlp.down_proj.weight"),
                    mb ? w.get(l + "mlp.down_proj.bias") : null));
        }
    }

    /** OLMo-1 norms have no parameters; the others are RMSNorm weights. */
    private NDArray norm(Weights w, String name) throws ModelException {
        return cfg.family() == Family.OLMO ? null : w.get(name + ".weight");
    }

    @Override
    NDArray hidden(NDManager m, long[] ids, int batch, int length, KvCache cache, DropoutRates drop) {
        int past = past(cache);
        NDArray x = embed.embed(idArray(m, ids, batch, length));
        NDArray bias = Ops.causalBias(m, length, past, cfg.slidingWindow());
        NDArray[] rope = Rope.cosSin(m, past, length, invFreq);
        for (int i = 0; i < blocks.size(); i++) {
            x = block(x, blocks.get(i), i, bias, rope, cache, batch, length, drop.attention());
        }
        return norm(x, finalNorm);
    }

    private NDArray block(
            NDArray x,
            Block b,
            int layer,
            NDArray bias,
            NDArray[] rope,
            KvCache cache,
            int batch,
            int length,
            float attnDrop) {
        boolean post = cfg.family() == Family.OLMO2;
        NDArray attn = attention(post ? x : norm(x, b.inNorm()), b, layer, bias, rope, cache, batch, length, attnDrop);
        x = x.add(post ? norm(attn, b.inNorm()) : attn);
        NDArray in = post ? x : norm(x, b.postNorm());
        NDArray ff = Ops.linear(
                Ops.silu(Ops.linear(in, b.gateW(), b.gateB())).mul(Ops.linear(in, b.upW(), b.upB())),
                b.downW(),
                b.downB());
        return x.add(post ? norm(ff, b.postNorm()) : ff);
    }

    private NDArray attention(
            NDArray h,
            Block b,
            int layer,
            NDArray bias,
            NDArray[] rope,
            KvCache cache,
            int batch,
            int length,
            float attnDrop) {
        NDArray q = Ops.linear(h, b.qW(), b.qB());
        NDArray k = Ops.linear(h, b.kW(), b.kB());
        NDArray v = Ops.linear(h, b.vW(), b.vB());
        if (cfg.clipQkv() > 0) {
            q = q.clip(-cfg.clipQkv(), cfg.clipQkv());
            k = k.clip(-cfg.clipQkv(), cfg.clipQkv());
            v = v.clip(-cfg.clipQkv(), cfg.clipQkv());
        }
        if (b.qNorm() != null) {
            q = Ops.rmsNorm(q, b.qNorm(), cfg.normEps());
            k = Ops.rmsNorm(k, b.kNorm(), cfg.normEps());
        }
        int d = cfg.headDim();
        q = Scalars.mul(Rope.apply(Ops.splitHeads(q, batch, length, cfg.heads(), d), rope), 1f / (float) Math.sqrt(d));
        k = Rope.apply(Ops.splitHeads(k, batch, length, cfg.kvHeads(), d), rope);
        v = Ops.splitHeads(v, batch, length, cfg.kvHeads(), d);
        NDArray[] kv = keysValues(cache, layer, k, v);
        return Ops.linear(Ops.attend(q, kv[0], kv[1], bias, attnDrop), b.oW(), b.oB());
    }

    private NDArray norm(NDArray x, NDArray weight) {
        if (cfg.family() == Family.OLMO) {
            return Ops.layerNorm(x, ones, zeros, OLMO_LN_EPS);
        }
        return Ops.rmsNorm(x, weight, cfg.normEps());
    }

    @Override
    NDArray logits(NDArray rows) {
        return head(rows, lmHead);
    }
}
