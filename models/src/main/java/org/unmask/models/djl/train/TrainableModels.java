package org.unmask.models.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.unmask.core.error.ModelException;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DropoutRates;
import org.unmask.models.djl.Weights;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertFamily;
import org.unmask.models.djl.causal.DecoderConfig;
import org.unmask.models.djl.causal.DecoderConfig.Family;
import org.unmask.models.safetensors.ShardedCheckpoint;

/**
 * Builds the {@link TrainableModel} for a {@code config.json}: {@link TrainableBert} for the BERT family (masked
 * LM), {@link TrainableDecoder} for the causal families (next token); from a checkpoint folder or from scratch
 * ({@link ModelInit}). Also reads each family's dropout rates from its config, as HF names them.
 */
public final class TrainableModels {
    private TrainableModels() {}

    /** The objective an architecture trains with; a one-line error for an architecture Unmask cannot train. */
    public static Objective objectiveOf(ModelConfig c) throws ModelException {
        if (BertFamily.of(c).isPresent()) {
            return Objective.MLM;
        }
        if (DecoderConfig.familyOf(c.architecture()) != null) {
            return Objective.CAUSAL;
        }
        throw new ModelException(
                c.file() + ": cannot train architecture \"" + c.architecture() + "\"",
                "training supports BERT, RoBERTa, DistilBERT (masked LM) and "
                        + String.join(", ", DecoderConfig.ARCHITECTURES) + " (causal LM)");
    }

    /**
     * The model in {@code checkpoint} (described by {@code c}), its tensors copied into {@code manager}.
     *
     * @param dropout a rate for every dropout site, or a negative value for the rates {@code config.json} names
     */
    public static TrainableModel load(NDManager manager, ShardedCheckpoint checkpoint, ModelConfig c, double dropout)
            throws ModelException {
        Objective objective = objectiveOf(c);
        DropoutRates rates = dropout(c, dropout);
        Weights w = Weights.load(manager, checkpoint);
        return objective == Objective.MLM
                ? TrainableBert.of(manager, w, BertConfig.from(c), rates)
                : TrainableDecoder.of(manager, w, DecoderConfig.from(c), rates);
    }

    /**
     * A from-scratch model: {@link ModelInit#fromScratch} weights (a pure function of config and seed) in
     * {@code manager}.
     *
     * @param dropout as for {@link #load}
     */
    public static TrainableModel fromScratch(NDManager manager, ModelConfig c, long seed, double dropout)
            throws ModelException {
        Objective objective = objectiveOf(c);
        DropoutRates rates = dropout(c, dropout);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, ModelInit.Tensor> e :
                ModelInit.fromScratch(c, seed).entrySet()) {
            NDArray a =
                    manager.create(e.getValue().values(), new Shape(e.getValue().shape()));
            a.setName(e.getKey());
            tensors.put(e.getKey(), a);
        }
        return objective == Objective.MLM
                ? TrainableBert.of(manager, tensors, BertConfig.from(c), rates)
                : TrainableDecoder.of(manager, tensors, DecoderConfig.from(c), rates);
    }

    /**
     * The dropout rates of a training run: {@code override} at every site when it is ≥ 0, else the rates the
     * config names (BERT/RoBERTa {@code hidden_dropout_prob} and {@code attention_probs_dropout_prob}, 0.1 by
     * default; DistilBERT {@code dropout} and {@code attention_dropout}; GPT-2 {@code embd_pdrop},
     * {@code attn_pdrop}, {@code resid_pdrop}; Llama-shaped {@code attention_dropout}, 0 by default; BLOOM
     * {@code attention_dropout} and {@code hidden_dropout}).
     */
    public static DropoutRates dropout(ModelConfig c, double override) throws ModelException {
        if (override >= 0) {
            return DropoutRates.uniform((float) override);
        }
        if (BertFamily.of(c).orElse(null) == BertFamily.DISTILBERT) {
            return rates(c, "dropout", 0.1, "attention_dropout", 0.1, "dropout", 0.1);
        }
        if (BertFamily.of(c).isPresent()) {
            return rates(
                    c, "hidden_dropout_prob", 0.1, "attention_probs_dropout_prob", 0.1, "hidden_dropout_prob", 0.1);
        }
        Family f = DecoderConfig.familyOf(c.architecture());
        if (f == Family.GPT2) {
            return rates(c, "embd_pdrop", 0.1, "attn_pdrop", 0.1, "resid_pdrop", 0.1);
        }
        if (f == Family.BLOOM) {
            return rates(c, null, 0, "attention_dropout", 0, "hidden_dropout", 0);
        }
        return rates(c, null, 0, "attention_dropout", 0, null, 0);
    }

    private static DropoutRates rates(
            ModelConfig c, String emb, double embDef, String attn, double attnDef, String res, double resDef)
            throws ModelException {
        return new DropoutRates(rate(c, emb, embDef), rate(c, attn, attnDef), rate(c, res, resDef));
    }

    private static float rate(ModelConfig c, String field, double fallback) throws ModelException {
        if (field == null) {
            return 0f;
        }
        double p = c.number(field, fallback);
        if (!(p >= 0 && p < 1)) {
            throw c.bad(field, "is " + p + "; a dropout probability must be in [0, 1)");
        }
        return (float) p;
    }
}
