package org.unmask.models.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.unmask.core.error.ModelException;
import org.unmask.models.djl.Weights;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertForward;
import org.unmask.models.djl.bert.BertParams;

/**
 * A Hugging Face {@code BertForMaskedLM} as trainable parameters plus a functional forward with dropout, for
 * fine-tuning. The numerics are those of the inference forward ({@code org.unmask.models.djl.bert}): post-LN,
 * exact GELU, additive padding mask, decoder tied to the word embeddings; in train mode dropout (hidden and
 * attention probabilities, HF's {@code hidden_dropout_prob}/{@code attention_probs_dropout_prob}) is applied
 * where HF applies it. Parameters are held by their HF names so they can be written back as safetensors.
 *
 * <p>Trainable: every tensor the MLM loss reaches (embeddings, encoder, MLM head). Tensors it does not reach
 * (the pooler) are carried along unchanged so the output checkpoint is complete.
 */
public final class TrainableBert implements AutoCloseable {
    private final NDManager manager;
    private final BertConfig cfg;
    private final Map<String, NDArray> trainable;
    private final Map<String, NDArray> frozen;
    private final BertForward forward;

    private TrainableBert(
            NDManager manager,
            BertConfig cfg,
            Map<String, NDArray> trainable,
            Map<String, NDArray> frozen,
            float dropout) {
        this.manager = manager;
        this.cfg = cfg;
        this.trainable = trainable;
        this.frozen = frozen;
        for (NDArray p : trainable.values()) {
            p.setRequiresGradient(true);
        }
        try {
            // the inference forward, in train mode: one implementation of the architecture for both
            this.forward = new BertForward(new BertParams(this::tensor, cfg, "trainable BERT"), cfg, dropout);
        } catch (ModelException e) {
            throw new IllegalStateException("a trainable BERT lacks a tensor its forward needs", e);
        }
    }

    private NDArray tensor(String name) {
        NDArray a = trainable.get(name);
        return a != null ? a : frozen.get(name);
    }

    /** Takes over the tensors of a loaded checkpoint (copied into {@code manager}). */
    public static TrainableBert of(NDManager manager, Weights w, BertConfig cfg, float dropout) throws ModelException {
        if (cfg.family() != org.unmask.models.djl.bert.BertFamily.BERT) {
            throw new ModelException(
                    "fine-tuning supports BERT checkpoints; this one is " + cfg.family(),
                    "fine-tune a BertForMaskedLM model (RoBERTa and DistilBERT training is not implemented yet)");
        }
        for (String n : List.of("cls.predictions.transform.dense.weight", "cls.predictions.bias")) {
            w.get(n); // throws a clear error for encoders without an MLM head
        }
        Map<String, NDArray> train = new LinkedHashMap<>();
        Map<String, NDArray> frozen = new LinkedHashMap<>();
        for (String name : w.names()) {
            NDArray orig = w.get(name);
            NDArray copy = orig.duplicate();
            copy.attach(manager);
            orig.close(); // the loaded tensor is not needed once copied; halves peak memory
            copy.setName(name);
            boolean used = !name.contains("pooler")
                    && !name.startsWith("cls.seq_relationship")
                    && !name.startsWith("cls.predictions.decoder.")
                    && !name.endsWith("position_ids");
            (used ? train : frozen).put(name, copy);
        }
        return new TrainableBert(manager, cfg, train, frozen, dropout);
    }

    /** A randomly initialised model (normal(0, 0.02), LayerNorm 1/0), for tests; {@code dtype} FLOAT32 or 64. */
    public static TrainableBert random(NDManager manager, BertConfig cfg, long seed, DataType dtype, float dropout) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, NDArray> p = new LinkedHashMap<>();
        int h = cfg.hidden();
        String b = "bert.";
        put(p, manager, b + "embeddings.word_embeddings.weight", rnd, dtype, 0.02, cfg.vocab(), h);
        put(p, manager, b + "embeddings.position_embeddings.weight", rnd, dtype, 0.02, cfg.maxPositions(), h);
        put(p, manager, b + "embeddings.token_type_embeddings.weight", rnd, dtype, 0.02, 2, h);
        layerNormParams(p, manager, b + "embeddings.LayerNorm", rnd, dtype, h);
        for (int i = 0; i < cfg.layers(); i++) {
            String l = b + "encoder.layer." + i + ".";
            for (String n : List.of(
                    "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")) {
                put(p, manager, l + n + ".weight", rnd, dtype, 0.02, h, h);
                put(p, manager, l + n + ".bias", rnd, dtype, 0.02, h);
            }
            layerNormParams(p, manager, l + "attention.output.LayerNorm", rnd, dtype, h);
            put(p, manager, l + "intermediate.dense.weight", rnd, dtype, 0.02, cfg.intermediate(), h);
            put(p, manager, l + "intermediate.dense.bias", rnd, dtype, 0.02, cfg.intermediate());
            put(p, manager, l + "output.dense.weight", rnd, dtype, 0.02, h, cfg.intermediate());
            put(p, manager, l + "output.dense.bias", rnd, dtype, 0.02, h);
            layerNormParams(p, manager, l + "output.LayerNorm", rnd, dtype, h);
        }
        put(p, manager, "cls.predictions.transform.dense.weight", rnd, dtype, 0.02, h, h);
        put(p, manager, "cls.predictions.transform.dense.bias", rnd, dtype, 0.02, h);
        layerNormParams(p, manager, "cls.predictions.transform.LayerNorm", rnd, dtype, h);
        put(p, manager, "cls.predictions.bias", rnd, dtype, 0.02, cfg.vocab());
        return new TrainableBert(manager, cfg, p, new LinkedHashMap<>(), dropout);
    }

    private static void layerNormParams(
            Map<String, NDArray> p, NDManager m, String name, SplittableRandom rnd, DataType dtype, int h) {
        // perturbed around 1/0 so a gradient check exercises them
        put(p, m, name + ".weight", rnd, dtype, 0.1, h);
        p.get(name + ".weight").addi(1);
        put(p, m, name + ".bias", rnd, dtype, 0.1, h);
    }

    private static void put(
            Map<String, NDArray> p,
            NDManager m,
            String name,
            SplittableRandom rnd,
            DataType dtype,
            double std,
            long... shape) {
        int n = (int) new Shape(shape).size();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = gaussian(rnd) * std;
        }
        NDArray a = m.create(v, new Shape(shape)).toType(dtype, false);
        a.setName(name);
        p.put(name, a);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    public BertConfig config() {
        return cfg;
    }

    /** Trainable parameters by HF name, in checkpoint order. */
    public Map<String, NDArray> trainable() {
        return trainable;
    }

    /** Every tensor (trainable then carried-along), by HF name. */
    public Map<String, NDArray> all() {
        Map<String, NDArray> all = new LinkedHashMap<>(trainable);
        all.putAll(frozen);
        return all;
    }

    /**
     * Mean cross-entropy of the MLM head over the labelled positions of a batch.
     *
     * @param m manager for this step's intermediates (closed by the caller)
     * @param batch ids, lengths and labels
     * @param train whether dropout is on
     * @return a scalar loss
     */
    public NDArray mlmLoss(NDManager m, MaskedBatch batch, boolean train) {
        NDArray hidden = encode(m, batch, train);
        long[] rows = batch.labelledRows();
        NDArray sel = embed(m.create(rows), hidden.reshape(-1, cfg.hidden()));
        NDArray logp = mlmLogProbs(sel);
        long[] targets = batch.labelledTargets();
        long[] flat = new long[targets.length];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (long) i * cfg.vocab() + targets[i];
        }
        // a differentiable gather of each row's target log-probability (libtorch's oneHot is not bound in DJL)
        NDArray picked = embed(m.create(flat), logp.reshape(-1, 1));
        return picked.sum().neg().div(rows.length);
    }

    /** Last-layer hidden states [batch, length, hidden]. */
    NDArray encode(NDManager m, MaskedBatch batch, boolean train) {
        return forward.encode(m, batch.inputIds(), batch.lengths(), batch.batchSize(), batch.length(), train);
    }

    private NDArray mlmLogProbs(NDArray rows) {
        return forward.mlmLogProbs(rows);
    }

    static NDArray embed(NDArray ids, NDArray table) {
        return BertForward.embed(ids, table);
    }

    /** Names of parameters that get no weight decay: biases and LayerNorm weights (as HF's Trainer). */
    public static boolean noDecay(String name) {
        return name.endsWith(".bias") || name.contains("LayerNorm") || name.contains("layer_norm");
    }

    @Override
    public void close() {
        manager.close();
    }
}
