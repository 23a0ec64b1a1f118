package org.unmask.models.djl.causal;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.ModelInfo;
import org.unmask.models.Precision;
import org.unmask.models.internal.PaddedBatch;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * A decoder-only causal LM (GPT-2, Llama/Mistral/Qwen2, OLMo, OLMo-2, BLOOM) on libtorch: the engine under
 * {@link DecoderLm}'s scoring and sampling, and the one training uses.
 *
 * <p>Scoring batches are right-padded to their longest input; under the causal mask a real token never
 * attends to a later (padding) position, so padding never changes a result. The LM head runs only on
 * the rows that are read.
 */
public final class CausalLm extends DecoderLm {
    private final NDManager manager;
    private final DecoderForward forward;
    private final Precision precision;

    CausalLm(
            ModelInfo info,
            HfTokenizer tokenizer,
            NDManager manager,
            DecoderConfig cfg,
            DecoderForward forward,
            Precision precision) {
        super(info, tokenizer, cfg);
        this.manager = manager;
        this.forward = forward;
        this.precision = precision;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    protected float[] logProbs(PaddedBatch packed, long[] rows) throws ModelException {
        try (NDManager m = manager.newSubManager()) {
            NDArray hidden = forward.hidden(m, packed.ids(), packed.batch(), packed.length(), null);
            NDArray sel = Ops.embed(m.create(rows), hidden.reshape(-1, config().hidden()));
            return forward.logits(sel).logSoftmax(-1).toFloatArray();
        } catch (EngineException e) {
            throw new ModelException(
                    "libtorch failed on a batch of " + packed.batch() + ": " + e.getMessage(),
                    "this is unexpected; rerun with a smaller --batch-size");
        }
    }

    @Override
    protected Steps steps() {
        KvCache cache = newCache();
        return new Steps() {
            @Override
            public float[] feed(int[] ids, int batch) throws ModelException {
                try {
                    return lastLogits(ids, batch, cache);
                } catch (EngineException e) {
                    throw new ModelException(
                            "libtorch failed while generating: " + e.getMessage(), "this is unexpected");
                }
            }

            @Override
            public void repeatBatch(int n) {
                cache.repeatBatch(n);
            }

            @Override
            public void close() {
                cache.close();
            }
        };
    }

    /** An empty KV cache over this model's layers; close it after use. */
    KvCache newCache() {
        return new KvCache(manager, config().layers());
    }

    /** Logits [vocab] after the last of {@code ids}, which continue the cache when there is one. */
    float[] lastLogits(int[] ids, KvCache cache) {
        return lastLogits(ids, 1, cache);
    }

    /** Logits [batch * vocab] after the last id of each row of {@code ids} ([batch, length], row-major). */
    private float[] lastLogits(int[] ids, int batch, KvCache cache) {
        long[] in = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            in[i] = ids[i];
        }
        int length = ids.length / batch;
        int hiddenSize = config().hidden();
        try (NDManager step = manager.newSubManager()) {
            NDArray h = forward.hidden(step, in, batch, length, cache);
            if (cache != null) {
                cache.advance(length);
            }
            NDArray last = length == 1
                    ? h.reshape(batch, hiddenSize)
                    : h.get(new NDIndex(":, {}", length - 1)).reshape(batch, hiddenSize);
            return forward.logits(last).toFloatArray();
        }
    }

    @Override
    protected float[] allLogits(int[] ids) {
        long[] in = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            in[i] = ids[i];
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray h = forward.hidden(m, in, 1, ids.length, null);
            return forward.logits(h.reshape(-1, config().hidden())).toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
        super.close();
    }
}
