package org.unmask.models.djl.bert;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.unmask.core.error.ModelException;
import org.unmask.models.djl.Weights;

/**
 * The tensors of a Hugging Face {@code BertForMaskedLM}, looked up once by their HF names. With the
 * {@code bert.} prefix (BertForMaskedLM) or without it (BertModel, sentence encoders). The MLM head is
 * optional: encoders have none.
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
        String p = w.find("bert.embeddings.word_embeddings.weight") != null ? "bert." : "";
        wordEmb = w.get(p + "embeddings.word_embeddings.weight");
        posEmb = w.get(p + "embeddings.position_embeddings.weight");
        typeEmb = w.get(p + "embeddings.token_type_embeddings.weight");
        embLnW = w.get(p + "embeddings.LayerNorm.weight");
        embLnB = w.get(p + "embeddings.LayerNorm.bias");
        for (int i = 0; i < cfg.layers(); i++) {
            String l = p + "encoder.layer." + i + ".";
            layers.add(new Layer(
                    w.get(l + "attention.self.query.weight"), w.get(l + "attention.self.query.bias"),
                    w.get(l + "attention.self.key.weight"), w.get(l + "attention.self.key.bias"),
                    w.get(l + "attention.self.value.weight"), w.get(l + "attention.self.value.bias"),
                    w.get(l + "attention.output.dense.weight"), w.get(l + "attention.output.dense.bias"),
                    w.get(l + "attention.output.LayerNorm.weight"), w.get(l + "attention.output.LayerNorm.bias"),
                    w.get(l + "intermediate.dense.weight"), w.get(l + "intermediate.dense.bias"),
                    w.get(l + "output.dense.weight"), w.get(l + "output.dense.bias"),
                    w.get(l + "output.LayerNorm.weight"), w.get(l + "output.LayerNorm.bias")));
        }
        headDenseW = w.find("cls.predictions.transform.dense.weight");
        headDenseB = w.find("cls.predictions.transform.dense.bias");
        headLnW = w.find("cls.predictions.transform.LayerNorm.weight");
        headLnB = w.find("cls.predictions.transform.LayerNorm.bias");
        NDArray dec = w.find("cls.predictions.decoder.weight");
        decoderW = dec != null ? dec : wordEmb; // tied to the input embeddings, as in the original BERT
        NDArray bias = w.find("cls.predictions.bias");
        decoderB = bias != null ? bias : w.find("cls.predictions.decoder.bias");
    }

    boolean hasMlmHead() {
        return headDenseW != null && headLnW != null && decoderB != null;
    }
}
