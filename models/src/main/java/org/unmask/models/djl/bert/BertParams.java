package org.unmask.models.djl.bert;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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
    record Layer(
            NDArray qW,
            NDArray qB,
            NDArray kW,
            NDArray kB,
            NDArray vW,
            NDArray vB,
            NDArray oW,
            NDArray oB,
            NDArray ln1W,
            NDArray ln1B,
            NDArray iW,
            NDArray iB,
            NDArray o2W,
            NDArray o2B,
            NDArray ln2W,
            NDArray ln2B) {}

    BertParams(Weights w, BertConfig cfg) throws ModelException {
        this(w::find, cfg, w.source());
    }

    /**
     * @param find the tensor of an HF name, or null when absent (e.g. trainable parameters by name)
     * @param source where the tensors came from, for error messages
     */
    public BertParams(Function<String, NDArray> find, BertConfig cfg, Object source) throws ModelException {
        BertTensorNames n = BertTensorNames.of(cfg, name -> find.apply(name) != null);
        Lookup w = new Lookup(find, source);
        wordEmb = w.get(n.wordEmb());
        posEmb = w.get(n.posEmb());
        typeEmb = n.typeEmb() == null ? null : w.get(n.typeEmb());
        embLnW = w.get(n.embLnW());
        embLnB = w.get(n.embLnB());
        for (BertTensorNames.Layer l : n.layers()) {
            layers.add(new Layer(
                    w.get(l.qW()),
                    w.get(l.qB()),
                    w.get(l.kW()),
                    w.get(l.kB()),
                    w.get(l.vW()),
                    w.get(l.vB()),
                    w.get(l.oW()),
                    w.get(l.oB()),
                    w.get(l.ln1W()),
                    w.get(l.ln1B()),
                    w.get(l.iW()),
                    w.get(l.iB()),
                    w.get(l.o2W()),
                    w.get(l.o2B()),
                    w.get(l.ln2W()),
                    w.get(l.ln2B())));
        }
        headDenseW = w.find(n.headDenseW());
        headDenseB = w.find(n.headDenseB());
        headLnW = w.find(n.headLnW());
        headLnB = w.find(n.headLnB());
        decoderW = w.get(n.decoderW());
        decoderB = w.find(n.decoderB());
    }

    /** Required and optional lookups with a clear error for a missing tensor. */
    private record Lookup(Function<String, NDArray> find, Object source) {
        NDArray get(String name) throws ModelException {
            NDArray a = find.apply(name);
            if (a == null) {
                throw new ModelException(
                        source + ": tensor \"" + name + "\" is missing",
                        "the checkpoint does not match its config.json architecture");
            }
            return a;
        }

        NDArray find(String name) {
            return name == null ? null : find.apply(name);
        }
    }

    boolean hasMlmHead() {
        return headDenseW != null && headLnW != null && decoderB != null;
    }
}
