package org.unmask.models.djl.bert;

import java.util.regex.Pattern;
import org.unmask.core.error.ModelException;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.internal.ShapeCheck;
import org.unmask.models.safetensors.ShardedCheckpoint;

/**
 * Checks a BERT-family checkpoint against its {@link BertConfig} before either backend uses it: the layer count and
 * the shape of every tensor the forward pass reads. Hidden size, intermediate size, vocabulary and positions are
 * visible in the shapes; the number of heads is not (it is validated as a divisor of the hidden size).
 */
public final class BertShapes {
    private static final Pattern BERT_LAYER = Pattern.compile("(?:^|\\.)encoder\\.layer\\.(\\d+)\\.");
    private static final Pattern DISTILBERT_LAYER = Pattern.compile("(?:^|\\.)transformer\\.layer\\.(\\d+)\\.");

    private BertShapes() {}

    /** Throws a {@link ModelException} naming the field and tensor when {@code ckpt} does not fit {@code cfg}. */
    public static void check(ModelConfig config, BertConfig cfg, ShardedCheckpoint ckpt) throws ModelException {
        boolean distil = cfg.family() == BertFamily.DISTILBERT;
        String h = distil ? "dim" : "hidden_size";
        String inter = distil ? "hidden_dim" : "intermediate_size";
        ShapeCheck s = new ShapeCheck(config, ckpt);
        s.expectLayers(distil ? DISTILBERT_LAYER : BERT_LAYER, distil ? "n_layers" : "num_hidden_layers", cfg.layers());
        BertTensorNames n = BertTensorNames.of(cfg, ckpt::contains);
        long hidden = cfg.hidden();
        long vocab = cfg.vocab();
        long i = cfg.intermediate();
        s.expect(n.wordEmb(), "vocab_size x " + h, vocab, hidden);
        s.expect(n.posEmb(), "max_position_embeddings x " + h, cfg.maxPositions(), hidden);
        if (n.typeEmb() != null) {
            long types = ckpt.tensor(n.typeEmb()).rank() == 2
                    ? ckpt.tensor(n.typeEmb()).dim(0)
                    : -1;
            s.expect(n.typeEmb(), "type_vocab_size x " + h, Math.max(types, 1), hidden);
        }
        s.expect(n.embLnW(), h, hidden);
        s.expect(n.embLnB(), h, hidden);
        for (BertTensorNames.Layer l : n.layers()) {
            for (String w : new String[] {l.qW(), l.kW(), l.vW(), l.oW()}) {
                s.expect(w, h + " x " + h, hidden, hidden);
            }
            for (String b :
                    new String[] {l.qB(), l.kB(), l.vB(), l.oB(), l.ln1W(), l.ln1B(), l.o2B(), l.ln2W(), l.ln2B()}) {
                s.expect(b, h, hidden);
            }
            s.expect(l.iW(), inter + " x " + h, i, hidden);
            s.expect(l.iB(), inter, i);
            s.expect(l.o2W(), h + " x " + inter, hidden, i);
        }
        if (n.hasMlmHead()) {
            s.expect(n.headDenseW(), h + " x " + h, hidden, hidden);
            s.expect(n.headDenseB(), h, hidden);
            s.expect(n.headLnW(), h, hidden);
            s.expectIfPresent(n.headLnB(), h, hidden);
            s.expect(n.decoderW(), "vocab_size x " + h, vocab, hidden);
            s.expect(n.decoderB(), "vocab_size", vocab);
        }
    }
}
