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

/**
 * HF {@code BloomForCausalLM}: no position embeddings but ALiBi biases ({@code slope_h · key_position}
 * added to the scores), a LayerNorm right after the word embeddings, the fused
 * {@code query_key_value} projection laid out [heads, 3, head_dim] (q, k, v interleaved per head), tanh
 * GELU, pre-LayerNorm blocks and the LM head tied to the word embeddings.
 */
final class BloomForward extends DecoderForward {
    private final WeightMatrix wordEmb;
    private final NDArray embLnW;
    private final NDArray embLnB;
    private final NDArray lnFW;
    private final NDArray lnFB;
    private final float[] slopes;
    private final List<Block> blocks = new ArrayList<>();

    private record Block(
            NDArray ln1W,
            NDArray ln1B,
            WeightMatrix qkvW,
            NDArray qkvB,
            WeightMatrix denseW,
            NDArray denseB,
            NDArray ln2W,
            NDArray ln2B,
            WeightMatrix upW,
            NDArray upB,
            WeightMatrix downW,
            NDArray downB) {}

    BloomForward(Weights w, DecoderConfig cfg) throws ModelException {
        super(cfg);
        // BloomForCausalLM saves "transformer.", checkpoints saved from BloomModel have no prefix
        String p = w.find("transformer.word_embeddings.weight") != null ? "transformer." : "";
        wordEmb = w.matrix(p + "word_embeddings.weight");
        embLnW = w.get(p + "word_embeddings_layernorm.weight");
        embLnB = w.get(p + "word_embeddings_layernorm.bias");
        lnFW = w.get(p + "ln_f.weight");
        lnFB = w.get(p + "ln_f.bias");
        slopes = alibiSlopes(cfg.heads());
        for (int i = 0; i < cfg.layers(); i++) {
            String l = p + "h." + i + ".";
            blocks.add(new Block(
                    w.get(l + "input_layernorm.weight"),
                    w.get(l + "input_layernorm.bias"),
                    w.matrix(l + "self_attention.query_key_value.weight"),
                    w.get(l + "self_attention.query_key_value.bias"),
                    w.matrix(l + "self_attention.dense.weight"),
                    w.get(l + "self_attention.dense.bias"),
                    w.get(l + "post_attention_layernorm.weight"),
                    w.get(l + "post_attention_layernorm.bias"),
                    w.matrix(l + "mlp.dense_h_to_4h.weight"),
                    w.get(l + "mlp.dense_h_to_4h.bias"),
                    w.matrix(l + "mlp.dense_4h_to_h.weight"),
                    w.get(l + "mlp.dense_4h_to_h.bias")));
        }
    }

    /**
     * HF {@code build_alibi_tensor}'s slopes: a geometric sequence for the largest power of two not above
     * the head count, then every other term of the sequence for twice that, for the remaining heads.
     */
    static float[] alibiSlopes(int heads) {
        int closest = Integer.highestOneBit(heads);
        double base = Math.pow(2, -Math.pow(2, -(log2(closest) - 3)));
        float[] out = new float[heads];
        for (int i = 0; i < closest; i++) {
            out[i] = (float) Math.pow(base, i + 1);
        }
        if (closest != heads) {
            double extraBase = Math.pow(2, -Math.pow(2, -(log2(2 * closest) - 3)));
            for (int i = 0; i < heads - closest; i++) {
                out[closest + i] = (float) Math.pow(extraBase, 2 * i + 1);
            }
        }
        return out;
    }

    private static double log2(int n) {
        return Math.log(n) / Math.log(2);
    }

    @Override
    NDArray hidden(NDManager m, long[] ids, int batch, int length, KvCache cache, DropoutRates drop) {
        int past = past(cache);
        NDArray x = wordEmb.embed(idArray(m, ids, batch, length));
        x = Ops.layerNorm(x, embLnW, embLnB, cfg.normEps());
        NDArray bias = alibi(m, past + length).add(Ops.causalBias(m, length, past));
        for (int i = 0; i < blocks.size(); i++) {
            x = block(x, blocks.get(i), i, bias, cache, batch, length, drop);
        }
        return Ops.layerNorm(x, lnFW, lnFB, cfg.normEps());
    }

    /** [heads, 1, keys]: slope_h · j. Adding a per-query constant would not change the softmax. */
    private NDArray alibi(NDManager m, int keys) {
        int heads = cfg.heads();
        float[] a = new float[heads * keys];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < keys; j++) {
                a[h * keys + j] = slopes[h] * j;
            }
        }
        return m.create(a, new Shape(heads, 1, keys));
    }

    private NDArray block(
            NDArray x, Block b, int layer, NDArray bias, KvCache cache, int batch, int length, DropoutRates drop) {
        int heads = cfg.heads();
        int d = cfg.headDim();
        NDArray h = Ops.layerNorm(x, b.ln1W(), b.ln1B(), cfg.normEps());
        NDArray fused = Ops.linear(h, b.qkvW(), b.qkvB()).reshape(batch, length, heads, 3, d);
        NDArray q = Scalars.mul(fused.get(":, :, :, 0, :").transpose(0, 2, 1, 3), 1f / (float) Math.sqrt(d));
        NDArray k = fused.get(":, :, :, 1, :").transpose(0, 2, 1, 3);
        NDArray v = fused.get(":, :, :, 2, :").transpose(0, 2, 1, 3);
        NDArray[] kv = keysValues(cache, layer, k, v);
        NDArray attn = Ops.linear(Ops.attend(q, kv[0], kv[1], bias, drop.attention()), b.denseW(), b.denseB());
        x = x.add(DropoutRates.apply(attn, drop.residual()));
        NDArray ff = Ops.geluTanh(Ops.linear(Ops.layerNorm(x, b.ln2W(), b.ln2B(), cfg.normEps()), b.upW(), b.upB()));
        return x.add(DropoutRates.apply(Ops.linear(ff, b.downW(), b.downB()), drop.residual()));
    }

    @Override
    NDArray logits(NDArray rows) {
        return head(rows, wordEmb);
    }
}
