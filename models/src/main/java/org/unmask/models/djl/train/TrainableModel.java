package org.unmask.models.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.unmask.models.djl.Scalars;
import org.unmask.models.djl.bert.BertForward;

/**
 * A model as {@link Trainer} sees it: named parameters (HF names, so they are written back as an HF checkpoint),
 * a forward to last-layer hidden states with dropout in train mode, and the output head as log-probabilities.
 * The loss is the same for every architecture: mean cross-entropy of the head over a batch's labelled positions
 * (masked tokens for {@link Objective#MLM}, next tokens for {@link Objective#CAUSAL}).
 *
 * <p>Implementations: {@link TrainableBert} (BERT, RoBERTa, DistilBERT) and {@link TrainableDecoder} (GPT-2,
 * Llama/Mistral/Qwen2, OLMo, OLMo-2, BLOOM); {@link TrainableModels} builds either from a folder or from scratch.
 *
 * <p>Forwards that run under autograd do arithmetic with Java numbers through {@link Scalars}, never DJL's
 * {@code mul/div/pow(Number)}, whose operand libtorch would read freed in the backward pass.
 */
public interface TrainableModel extends AutoCloseable {
    /** What this architecture is trained to predict. */
    Objective objective();

    /** Parameters the loss reaches, by HF name, in checkpoint order; these get gradients and updates. */
    Map<String, NDArray> trainable();

    /** Every tensor to save (trainable, then carried-along ones such as a BERT pooler), by HF name. */
    Map<String, NDArray> all();

    /** Last-layer hidden states [batch, length, hidden] of the batch's inputs. */
    NDArray hidden(NDManager m, MaskedBatch batch, boolean train);

    /** The output head on rows [n, hidden]: log-softmax over the vocabulary [n, vocab]. */
    NDArray logProbs(NDArray rows);

    /** Hidden width. */
    int hiddenSize();

    /** Vocabulary size (columns of {@link #logProbs}). */
    int vocab();

    /**
     * Whether a parameter is exempt from weight decay: biases and normalisation weights, as HF's Trainer decides
     * ({@code get_decay_parameter_names}: biases, LayerNorm/RMSNorm modules).
     */
    boolean noDecay(String name);

    /**
     * Mean cross-entropy over the labelled positions of {@code batch} (HF's {@code CrossEntropyLoss}, labels -100
     * ignored).
     *
     * @param m manager for this step's intermediates (closed by the caller)
     * @param train whether dropout is on
     * @return a scalar
     */
    default NDArray loss(NDManager m, MaskedBatch batch, boolean train) {
        NDArray hidden = hidden(m, batch, train);
        long[] rows = batch.labelledRows();
        NDArray sel = BertForward.embed(m.create(rows), hidden.reshape(-1, hiddenSize()));
        NDArray logp = logProbs(sel);
        long[] targets = batch.labelledTargets();
        long[] flat = new long[targets.length];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (long) i * vocab() + targets[i];
        }
        // a differentiable gather of each row's target log-probability (libtorch's oneHot is not bound in DJL)
        NDArray picked = BertForward.embed(m.create(flat), logp.reshape(-1, 1));
        return Scalars.div(picked.sum().neg(), rows.length);
    }

    /** Frees the parameters. */
    @Override
    void close();
}
