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
 * HF {@code GPT2LMHeadModel}: learned absolute positions, pre-LayerNorm blocks, tanh GELU, Conv1D
 * weights stored [in, out], the fused {@code c_attn} projection split q|k|v, and the LM head tied to
 * {@code wte}.
 */
final class Gpt2Forward extends DecoderForward {
    private final WeightMatrix wte;
    private final WeightMatrix wpe;
    private final NDArray lnFW;
    private final NDArray lnFB;
    private final List<Block> blocks = new ArrayList<>();

    private record Block(
            NDArray ln1W,
            NDArray ln1B,
            WeightMatrix attnW,
            NDArray attnB,
            WeightMatrix projW,
            NDArray projB,
            NDArray ln2W,
            NDArray ln2B,
            WeightMatrix fcW,
            NDArray fcB,
            WeightMatrix fcProjW,
            NDArray fcProjB) {}

    Gpt2Forward(Weights w, DecoderConfig cfg) throws ModelException {
        super(cfg);
        // GPT2LMHeadModel saves "transformer.h.0...", the original hub gpt2 files have no prefix
        String p = w.find("transformer.wte.weight") != null ? "transformer." : "";
        wte = w.matrix(p + "wte.weight");
        wpe = w.matrix(p + "wpe.weight");
        lnFW = w.get(p + "ln_f.weight");
        lnFB = w.get(p + "ln_f.bias");
        for (int i = 0; i < cfg.layers(); i++) {
            String l = p + "h." + i + ".";
            blocks.add(new Block(
                    w.get(l + "ln_1.weight"),
                    w.get(l + "ln_1.bias"),
                    w.matrix(l + "attn.c_attn.weight"),
                    w.get(l + "attn.c_attn.bias"),
                    w.matrix(l + "attn.c_proj.weight"),
                    w.get(l + "attn.c_proj.bias"),
                    w.get(l + "ln_2.weight"),
                    w.get(l + "ln_2.bias"),
                    w.matrix(l + "mlp.c_fc.weight"),
                    w.get(l + "mlp.c_fc.bias"),
                    w.matrix(l + "mlp.c_proj.weight"),
                    w.get(l + "mlp.c_proj.bias")));
        }
    }

    /** Whether a tensor is one of the Conv1D weights, stored [in, out] (output channels are columns). */
    static boolean columnChannels(String name) {
        return name.endsWith("attn.c_attn.weight")
                || name.endsWith("attn.c_proj.weight")
                || name.endsWith("mlp.c_fc.weight")
                || name.endsWith("mlp.c_proj.weight");
    }

    @Override
    NDArray hidden(NDManager m, long[] ids, int batch, int length, KvCache cache, DropoutRates drop) {
        int past = past(cache);
        long[] pos = new long[length];
        for (int i = 0; i < length; i++) {
            pos[i] = past + i;
        }
        NDArray x = wte.embed(idArray(m, ids, batch, length)).add(wpe.embed(m.create(pos, new Shape(1, length))));
        x = DropoutRates.apply(x, drop.embedding());
        NDArray bias = Ops.causalBias(m, length, past);
        for (int i = 0; i < blocks.size(); i++) {
            x = block(x, blocks.get(i), i, bias, cache, batch, length, drop);
        }
        return Ops.layerNorm(x, lnFW, lnFB, cfg.normEps());
    }

    private NDArray block(
            NDArray x, Block b, int layer, NDArray bias, KvCache cache, int batch, int length, DropoutRates drop) {
        NDArray qkv = Ops.conv1d(Ops.layerNorm(x, b.ln1W(), b.ln1B(), cfg.normEps()), b.attnW(), b.attnB());
        NDArray[] parts = qkv.split(3, 2).toArray(new NDArray[0]);
        float scale = 1f / (float) Math.sqrt(cfg.headDim());
        NDArray q = Scalars.mul(Ops.splitHeads(parts[0], batch, length, cfg.heads(), cfg.headDim()), scale);
        NDArray k = Ops.splitHeads(parts[1], batch, length, cfg.heads(), cfg.headDim());
        NDArray v = Ops.splitHeads(parts[2], batch, length, cfg.heads(), cfg.headDim());
        NDArray[] kv = keysValues(cache, layer, k, v);
        NDArray ctx = Ops.attend(q, kv[0], kv[1], bias, drop.attention());
        x = x.add(DropoutRates.apply(Ops.conv1d(ctx, b.projW(), b.projB()), drop.residual()));
        NDArray ff = Ops.geluTanh(Ops.conv1d(Ops.layerNorm(x, b.ln2W(), b.ln2B(), cfg.normEps()), b.fcW(), b.fcB()));
        return x.add(DropoutRates.apply(Ops.conv1d(ff, b.fcProjW(), b.fcProjB()), drop.residual()));
    }

    @Override
    NDArray logits(NDArray rows) {
        return head(rows, wte);
    }
}
