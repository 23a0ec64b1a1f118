package org.unmask.models.djl.bert;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The Hugging Face tensor names of a BERT-family checkpoint, per family and with or without the
 * model prefix; shared by the libtorch forward and the ONNX export so both read the same tensors.
 * Optional tensors (token types, MLM head, untied decoder) are null when the checkpoint lacks them.
 */
public record BertTensorNames(
        String wordEmb,
        String posEmb,
        String typeEmb,
        String embLnW,
        String embLnB,
        List<Layer> layers,
        String headDenseW,
        String headDenseB,
        String headLnW,
        String headLnB,
        String decoderW,
        String decoderB) {

    /** Names of one encoder layer. */
    public record Layer(
            String qW,
            String qB,
            String kW,
            String kB,
            String vW,
            String vB,
            String oW,
            String oB,
            String ln1W,
            String ln1B,
            String iW,
            String iB,
            String o2W,
            String o2B,
            String ln2W,
            String ln2B) {}

    /** @param has whether the checkpoint holds a tensor of that name */
    public static BertTensorNames of(BertConfig cfg, Predicate<String> has) {
        return cfg.family() == BertFamily.DISTILBERT ? distilbert(cfg, has) : bertOrRoberta(cfg, has);
    }

    private static BertTensorNames bertOrRoberta(BertConfig cfg, Predicate<String> has) {
        boolean roberta = cfg.family() == BertFamily.ROBERTA;
        String model = roberta ? "roberta." : "bert.";
        String p = has.test(model + "embeddings.word_embeddings.weight") ? model : "";
        String e = p + "embeddings.";
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < cfg.layers(); i++) {
            String l = p + "encoder.layer." + i + ".";
            layers.add(new Layer(
                    l + "attention.self.query.weight",
                    l + "attention.self.query.bias",
                    l + "attention.self.key.weight",
                    l + "attention.self.key.bias",
                    l + "attention.self.value.weight",
                    l + "attention.self.value.bias",
                    l + "attention.output.dense.weight",
                    l + "attention.output.dense.bias",
                    l + "attention.output.LayerNorm.weight",
                    l + "attention.output.LayerNorm.bias",
                    l + "intermediate.dense.weight",
                    l + "intermediate.dense.bias",
                    l + "output.dense.weight",
                    l + "output.dense.bias",
                    l + "output.LayerNorm.weight",
                    l + "output.LayerNorm.bias"));
        }
        String h = roberta ? "lm_head." : "cls.predictions.transform.";
        String ln = roberta ? "layer_norm" : "LayerNorm";
        String dec = roberta ? "lm_head.decoder.weight" : "cls.predictions.decoder.weight";
        String bias = roberta ? "lm_head.bias" : "cls.predictions.bias";
        String decBias = roberta ? "lm_head.decoder.bias" : "cls.predictions.decoder.bias";
        return new BertTensorNames(
                e + "word_embeddings.weight",
                e + "position_embeddings.weight",
                opt(has, e + "token_type_embeddings.weight"),
                e + "LayerNorm.weight",
                e + "LayerNorm.bias",
                layers,
                opt(has, h + "dense.weight"),
                opt(has, h + "dense.bias"),
                opt(has, h + ln + ".weight"),
                opt(has, h + ln + ".bias"),
                has.test(dec) ? dec : e + "word_embeddings.weight",
                has.test(bias) ? bias : opt(has, decBias));
    }

    private static BertTensorNames distilbert(BertConfig cfg, Predicate<String> has) {
        String p = has.test("distilbert.embeddings.word_embeddings.weight") ? "distilbert." : "";
        String e = p + "embeddings.";
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < cfg.layers(); i++) {
            String l = p + "transformer.layer." + i + ".";
            layers.add(new Layer(
                    l + "attention.q_lin.weight",
                    l + "attention.q_lin.bias",
                    l + "attention.k_lin.weight",
                    l + "attention.k_lin.bias",
                    l + "attention.v_lin.weight",
                    l + "attention.v_lin.bias",
                    l + "attention.out_lin.weight",
                    l + "attention.out_lin.bias",
                    l + "sa_layer_norm.weight",
                    l + "sa_layer_norm.bias",
                    l + "ffn.lin1.weight",
                    l + "ffn.lin1.bias",
                    l + "ffn.lin2.weight",
                    l + "ffn.lin2.bias",
                    l + "output_layer_norm.weight",
                    l + "output_layer_norm.bias"));
        }
        return new BertTensorNames(
                e + "word_embeddings.weight",
                e + "position_embeddings.weight",
                null,
                e + "LayerNorm.weight",
                e + "LayerNorm.bias",
                layers,
                opt(has, "vocab_transform.weight"),
                opt(has, "vocab_transform.bias"),
                opt(has, "vocab_layer_norm.weight"),
                opt(has, "vocab_layer_norm.bias"),
                has.test("vocab_projector.weight") ? "vocab_projector.weight" : e + "word_embeddings.weight",
                opt(has, "vocab_projector.bias"));
    }

    private static String opt(Predicate<String> has, String name) {
        return has.test(name) ? name : null;
    }

    public boolean hasMlmHead() {
        return headDenseW != null && headLnW != null && decoderB != null;
    }
}
