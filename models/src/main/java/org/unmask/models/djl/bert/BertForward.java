package org.unmask.models.djl.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import org.unmask.models.djl.DropoutRates;
import org.unmask.models.djl.Scalars;
import org.unmask.models.internal.PaddedBatch;

/**
 * The Hugging Face BERT forward pass, written functionally on DJL arrays so it matches HF numerics:
 * post-LayerNorm, exact erf GELU, LayerNorm epsilon from the config, and an additive attention mask
 * so padding never changes a real token's result. The same code serves inference and training: in
 * train mode dropout is applied where HF applies it (embeddings, attention probabilities, both
 * sub-layer outputs).
 *
 * <p>Every op is called on a per-batch array first, so results attach to the batch's manager and are
 * freed with it; weights live in the model's own manager.
 */
public final class BertForward {
    private final BertParams p;
    private final BertConfig cfg;
    private final DropoutRates dropout;

    /** An inference forward (no dropout). */
    public BertForward(BertParams p, BertConfig cfg) {
        this(p, cfg, DropoutRates.NONE);
    }

    /**
     * @param dropout HF's dropout rates (embeddings and sub-layer outputs: {@code hidden_dropout_prob}, DistilBERT
     *     {@code dropout}; attention probabilities), applied only when a call asks for train mode
     */
    public BertForward(BertParams p, BertConfig cfg, DropoutRates dropout) {
        this.p = p;
        this.cfg = cfg;
        this.dropout = dropout;
    }

    /**
     * Last-layer hidden states.
     *
     * @param ids token ids, row-major [batch, length]
     * @param realLengths real tokens per row; the rest is padding
     * @return [batch, length, hidden]
     */
    public NDArray encode(NDManager m, long[] ids, int[] realLengths, int batch, int length) {
        return encode(m, ids, realLengths, batch, length, false);
    }

    /** As {@link #encode(NDManager, long[], int[], int, int)}, with dropout where HF applies it when training. */
    public NDArray encode(NDManager m, long[] ids, int[] realLengths, int batch, int length, boolean train) {
        NDArray idArr = m.create(ids, new Shape(batch, length));
        long[] pos = new long[length];
        for (int i = 0; i < length; i++) {
            pos[i] = cfg.family().position(i, cfg.padId());
        }
        NDArray posArr = m.create(pos, new Shape(1, length));
        NDArray x = embed(idArr, p.wordEmb).add(embed(posArr, p.posEmb));
        if (p.typeEmb != null) {
            x = x.add(embed(m.zeros(new Shape(1, 1), ai.djl.ndarray.types.DataType.INT64), p.typeEmb));
        }
        x = drop(layerNorm(x, p.embLnW, p.embLnB), dropout.embedding(), train);
        NDArray bias = m.create(
                        new PaddedBatch(ids, realLengths, length).attentionBias(), new Shape(batch, 1, 1, length))
                .toType(p.wordEmb.getDataType(), false);
        for (BertParams.Layer l : p.layers) {
            x = layer(x, l, bias, batch, length, train);
        }
        return x;
    }

    private NDArray layer(NDArray x, BertParams.Layer l, NDArray bias, int batch, int length, boolean train) {
        int heads = cfg.heads();
        int hd = cfg.headDim();
        NDArray q = heads(
                Scalars.mul(Linear.linear(x, l.qW(), l.qB()).head(), 1.0f / (float) Math.sqrt(hd)), batch, length);
        NDArray k = heads(Linear.linear(x, l.kW(), l.kB()).head(), batch, length);
        NDArray v = heads(Linear.linear(x, l.vW(), l.vB()).head(), batch, length);
        NDArray probs = drop(q.matMul(k.transpose(0, 1, 3, 2)).add(bias).softmax(-1), dropout.attention(), train);
        NDArray ctx = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, (long) heads * hd);
        // DistilBERT's attention output has no dropout of its own (HF MultiHeadSelfAttention: only the weights)
        float attnOut = cfg.family() == BertFamily.DISTILBERT ? 0f : dropout.residual();
        x = layerNorm(
                drop(Linear.linear(ctx, l.oW(), l.oB()).head(), attnOut, train).add(x), l.ln1W(), l.ln1B());
        NDArray h = Activation.gelu(Linear.linear(x, l.iW(), l.iB()).head());
        NDArray out = drop(Linear.linear(h, l.o2W(), l.o2B()).head(), dropout.residual(), train);
        return layerNorm(out.add(x), l.ln2W(), l.ln2B());
    }

    private static NDArray drop(NDArray x, float p, boolean train) {
        return train ? DropoutRates.apply(x, p) : x;
    }

    /** MLM head on selected rows of {@code hidden} ([n, hidden]): log-softmax over the vocabulary. */
    public NDArray mlmLogProbs(NDArray rows) {
        NDArray t =
                Activation.gelu(Linear.linear(rows, p.headDenseW, p.headDenseB).head());
        t = layerNorm(t, p.headLnW, p.headLnB);
        return Linear.linear(t, p.decoderW, p.decoderB).head().logSoftmax(-1);
    }

    private NDArray heads(NDArray x, int batch, int length) {
        return x.reshape(batch, length, cfg.heads(), cfg.headDim()).transpose(0, 2, 1, 3);
    }

    private NDArray layerNorm(NDArray x, NDArray w, NDArray b) {
        return LayerNorm.layerNorm(x, new Shape(cfg.hidden()), w, b, cfg.layerNormEps())
                .head();
    }

    /** A differentiable row gather: {@code table[ids]}. */
    public static NDArray embed(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal()
                .embedding(ids, table, SparseFormat.DENSE)
                .head();
    }
}
