package org.unmask.models.djl.bert;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.unmask.core.error.ModelException;
import org.unmask.models.djl.Weights;

/**
 * The tensors of a Hugging Face BERT-family masked LM ({@code BertForMaskedLM},
 * {@code RobertaForMaskedLM}, {@code DistilBertForMaskedLM}), looked up once by their HF names, with or
 * without the model prefix (bare encoders have none). The MLM head is optional: encoders have none.
 */
public final class BertParams {
    final NDArray wordEmb;
    final NDArray posEmb;
    final NDArray typeEmb;
    final NDArray embLnW;
    final NDArray embLnB;
    final List<Layer> layers = new ArrayList<>();
    final NDArray headDenseW;
    final NDArray headDenseB;
    final NDArray headLnW;
    final NDArray headLnB;
    final NDArray decoderW;
    final NDArray decoderB;

    /** One encoder layer. */
    record Layer(NDArray qW, NDArray qB, NDArray kW, NDArray kB, NDArray vW, NDArray vB, NDArray oW, NDArray oB,
            NDArray ln1W, NDArray ln1B, NDArray iW, NDArray iB, NDArray o2W, NDArray o2B, NDArray ln2W, NDArray ln2B) {}

    BertParams(Weights w, BertConfig cfg) throws ModelException {
        BertTensorNames n = BertTensorNames.of(cfg, name -> w.find(name) != null);
        wordEmb = w.get(n.wordEmb());
        posEmb = w.get(n.posEmb());
        typeEmb = n.typeEmb() == null ? null : w.get(n.typeEmb());
        embLnW = w.get(n.embLnW());
        embLnB = w.get(n.embLnB());
        for (BertTensorNames.Layer l : n.layers()) {
            layers.add(new Layer(w.get(l.qW()), w.get(l.qB()), w.get(l.kW()), w.get(l.kB()), w.get(l.vW()),
                    w.get(l.vB()), w.get(l.oW()), w.get(l.oB()), w.get(l.ln1W()), w.get(l.ln1B()), w.get(l.iW()),
                    w.get(l.iB()), w.get(l.o2W()), w.get(l.o2B()), w.get(l.ln2W()), w.get(l.ln2B())));
        }
        headDenseW = w.find(n.headDenseW());
        headDenseB = w.find(n.headDenseB());
        headLnW = w.find(n.headLnW());
        headLnB = w.find(n.headLnB());
        decoderW = w.get(n.decoderW());
        decoderB = n.decoderB() == null ? null : w.get(n.decoderB());
    }

    boolean hasMlmHead() {
        return headDenseW != null && headLnW != null && decoderB != null;
    }
}
