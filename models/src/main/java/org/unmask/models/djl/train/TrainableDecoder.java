package org.unmask.models.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.unmask.core.error.ModelException;
import org.unmask.models.djl.DropoutRates;
import org.unmask.models.djl.Weights;
import org.unmask.models.djl.causal.CausalForward;
import org.unmask.models.djl.causal.DecoderConfig;

/**
 * A decoder-only causal LM (GPT-2, Llama/Mistral/Qwen2, OLMo, OLMo-2, BLOOM) as trainable parameters, run by the
 * inference forward of its family ({@link CausalForward}) with dropout where HF applies it. Trained for
 * next-token prediction ({@link CausalBatches}); a tied LM head stays tied (the head reads the embedding matrix,
 * whose gradient sums both uses), and an {@code lm_head.weight} a tied checkpoint carries is dropped, as HF's
 * {@code save_pretrained} drops it.
 *
 * <p>Trainable: every tensor the forward reads; others (e.g. GPT-2's legacy {@code attn.bias} mask buffers) are
 * carried along unchanged.
 */
public final class TrainableDecoder implements TrainableModel {
    private final NDManager manager;
    private final DecoderConfig cfg;
    private final Map<String, NDArray> trainable = new LinkedHashMap<>();
    private final Map<String, NDArray> frozen = new LinkedHashMap<>();
    private final CausalForward forward;
    private final DropoutRates dropout;

    private TrainableDecoder(
            NDManager manager, DecoderConfig cfg, Map<String, NDArray> tensors, DropoutRates dropout, Object source)
            throws ModelException {
        this.manager = manager;
        this.cfg = cfg;
        this.dropout = dropout;
        Map<String, NDArray> kept = new LinkedHashMap<>(tensors);
        if (cfg.tieEmbeddings() && kept.containsKey("lm_head.weight")) {
            kept.remove("lm_head.weight").close();
        }
        Set<String> read = new HashSet<>();
        Map<String, NDArray> recording = new LinkedHashMap<>(kept) {
            @Override
            public NDArray get(Object key) {
                NDArray a = super.get(key);
                if (a != null) {
                    read.add((String) key);
                }
                return a;
            }
        };
        this.forward = CausalForward.of(Weights.of(recording, Path.of(String.valueOf(source))), cfg, manager);
        kept.forEach((name, a) -> (read.contains(name) ? trainable : frozen).put(name, a));
        for (NDArray p : trainable.values()) {
            p.setRequiresGradient(true);
        }
    }

    /** Takes over the tensors of a loaded checkpoint (copied into {@code manager}). */
    public static TrainableDecoder of(NDManager manager, Weights w, DecoderConfig cfg, DropoutRates dropout)
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
        return new TrainableDecoder(manager, cfg, all, dropout, w.source());
    }

    /** Trains {@code tensors} (owned by {@code manager}), e.g. from-scratch weights. */
    public static TrainableDecoder of(
            NDManager manager, Map<String, NDArray> tensors, DecoderConfig cfg, DropoutRates dropout)
            throws ModelException {
        return new TrainableDecoder(manager, cfg, tensors, dropout, "trainable " + cfg.family());
    }

    public DecoderConfig config() {
        return cfg;
    }

    @Override
    public Objective objective() {
        return Objective.CAUSAL;
    }

    @Override
    public Map<String, NDArray> trainable() {
        return trainable;
    }

    @Override
    public Map<String, NDArray> all() {
        Map<String, NDArray> all = new LinkedHashMap<>(trainable);
        all.putAll(frozen);
        return all;
    }

    @Override
    public NDArray hidden(NDManager m, MaskedBatch batch, boolean train) {
        return forward.hidden(
                m, batch.inputIds(), batch.batchSize(), batch.length(), train ? dropout : DropoutRates.NONE);
    }

    @Override
    public NDArray logProbs(NDArray rows) {
        return forward.logits(rows).logSoftmax(-1);
    }

    @Override
    public int hiddenSize() {
        return cfg.hidden();
    }

    @Override
    public int vocab() {
        return cfg.vocab();
    }

    /**
     * As HF's Trainer: the name patterns of {@link TrainableBert#isNoDecay} plus the parameters of
     * {@code nn.LayerNorm} modules whose names do not say so (GPT-2's and BLOOM's {@code ln_1}, {@code ln_2},
     * {@code ln_f}).
     */
    @Override
    public boolean noDecay(String name) {
        int dot = name.lastIndexOf('.');
        String module = dot < 0 ? "" : name.substring(name.lastIndexOf('.', dot - 1) + 1, dot);
        return TrainableBert.isNoDecay(name) || module.startsWith("ln_");
    }

    @Override
    public void close() {
        manager.close();
    }
}
