package org.unmask.models.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.unmask.core.error.ModelException;
import org.unmask.models.djl.DropoutRates;
import org.unmask.models.djl.Weights;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertFamily;
import org.unmask.models.djl.bert.BertForward;
import org.unmask.models.djl.bert.BertParams;
import org.unmask.models.djl.bert.BertTensorNames;

/**
 * A Hugging Face BERT-family masked LM ({@code BertForMaskedLM}, {@code RobertaForMaskedLM},
 * {@code DistilBertForMaskedLM}) as trainable parameters plus a functional forward with dropout. The numerics are
 * those of the inference forward ({@code org.unmask.models.djl.bert}, which also handles RoBERTa's position offset
 * and single token type and DistilBERT's names and missing token types): post-LN, exact GELU, additive padding
 * mask, decoder tied to the word embeddings; in train mode dropout is applied where HF applies it, at the rates of
 * {@link DropoutRates}. Parameters are held by their HF names so they can be written back as safetensors.
 *
 * <p>Trainable: every tensor the forward reads (embeddings, encoder, MLM head). Tensors it does not read (the
 * pooler, an NSP head) are carried along unchanged so the output checkpoint is complete.
 */
public final class TrainableBert implements TrainableModel {
    private final NDManager manager;
    private final BertConfig cfg;
    private final Map<String, NDArray> trainable;
    private final Map<String, NDArray> frozen;
    private final BertForward forward;

    private TrainableBert(NDManager manager, BertConfig cfg, Map<String, NDArray> tensors, DropoutRates dropout)
            throws ModelException {
        this.manager = manager;
        this.cfg = cfg;
        Set<String> read = new HashSet<>();
        // the inference forward, in train mode: one implementation of the architecture for both
        this.forward = new BertForward(
                new BertParams(
                        name -> {
                            NDArray a = tensors.get(name);
                            if (a != null) {
                                read.add(name);
                            }
                            return a;
                        },
                        cfg,
                        "trainable " + cfg.family()),
                cfg,
                dropout);
        this.trainable = new LinkedHashMap<>();
        this.frozen = new LinkedHashMap<>();
        tensors.forEach((name, a) -> (read.contains(name) ? trainable : frozen).put(name, a));
        for (NDArray p : trainable.values()) {
            p.setRequiresGradient(true);
        }
    }

    /** Takes over the tensors of a loaded checkpoint (copied into {@code manager}). */
    public static TrainableBert of(NDManager manager, Weights w, BertConfig cfg, DropoutRates dropout)
            throws ModelException {
        Map<String, NDArray> all = new LinkedHashMap<>();
        for (String name : w.names()) {
            NDArray orig = w.get(name);
            NDArray copy = orig.duplicate();
            copy.attach(manager);
            orig.close(); // the loaded tensor is not needed once copied; halves peak memory
            copy.setName(name);
            all.put(name, copy);
        }
        return of(manager, all, cfg, dropout);
    }

    /** Trains {@code tensors} (owned by {@code manager}); the MLM head must be present. */
    public static TrainableBert of(
            NDManager manager, Map<String, NDArray> tensors, BertConfig cfg, DropoutRates dropout)
            throws ModelException {
        BertTensorNames names = BertTensorNames.of(cfg, tensors::containsKey);
        if (!names.hasMlmHead()) {
            throw new ModelException(
                    "the " + cfg.family() + " checkpoint has no masked-LM head (it is a bare encoder)",
                    "fine-tune a *ForMaskedLM checkpoint");
        }
        return new TrainableBert(manager, cfg, tensors, dropout);
    }
    /** A randomly initialised model (normal(0, 0.02), LayerNorm 1/0), for tests; {@code dtype} FLOAT32 or 64. */
    public static TrainableBert random(NDManager manager, BertConfig cfg, long seed, DataType dtype, float dropout) {
        if (cfg.family() != BertFamily.BERT) {
            throw new IllegalArgumentException("random test models are BERT-shaped");
        }
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
        try {
            return new TrainableBert(manager, cfg, p, DropoutRates.uniform(dropout));
        } catch (ModelException e) {
            throw new IllegalStateException("a random BERT lacks a tensor its forward needs", e);
        }
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
    @Override
    public Map<String, NDArray> trainable() {
        return trainable;
    }

    /** Every tensor (trainable then carried-along), by HF name. */
    @Override
    public Map<String, NDArray> all() {
        Map<String, NDArray> all = new LinkedHashMap<>(trainable);
        all.putAll(frozen);
        return all;
    }

    /** Mean cross-entropy of the MLM head over the labelled positions of a batch ({@link #loss}). */
    public NDArray mlmLoss(NDManager m, MaskedBatch batch, boolean train) {
        return loss(m, batch, train);
    }

    @Override
    public Objective objective() {
        return Objective.MLM;
    }

    @Override
    public NDArray hidden(NDManager m, MaskedBatch batch, boolean train) {
        return forward.encode(m, batch.inputIds(), batch.lengths(), batch.batchSize(), batch.length(), train);
    }

    @Override
    public NDArray logProbs(NDArray rows) {
        return forward.mlmLogProbs(rows);
    }

    @Override
    public int hiddenSize() {
        return cfg.hidden();
    }

    @Override
    public int vocab() {
        return cfg.vocab();
    }

    @Override
    public boolean noDecay(String name) {
        return isNoDecay(name);
    }

    /**
     * Whether HF's Trainer exempts a parameter from weight decay by its name ({@code get_decay_parameter_names}:
     * the lower-cased name contains {@code bias}, {@code layernorm} or {@code rmsnorm}, or has a {@code norm} or
     * {@code *_norm} module): biases and LayerNorm/RMSNorm weights of every family whose norms are named so.
     */
    public static boolean isNoDecay(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.contains("bias")
                || n.contains("layernorm")
                || n.contains("rmsnorm")
                || NORM.matcher(n).find();
    }

    private static final java.util.regex.Pattern NORM = java.util.regex.Pattern.compile("(?:^|\\.|_)norm(?:$|\\.)");

    @Override
    public void close() {
        manager.close();
    }
}
