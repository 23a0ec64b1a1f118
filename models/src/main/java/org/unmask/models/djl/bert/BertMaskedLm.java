package org.unmask.models.djl.bert;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.SentenceEncoder;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.model.TokenScorer;
import org.unmask.models.djl.Weights;
import org.unmask.models.internal.PaddedBatch;
import org.unmask.models.internal.RowReducer;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * BERT as a masked LM and sentence encoder on libtorch. Batches are padded to their longest input,
 * and the MLM head runs only on the rows that are read, not on every position.
 */
public final class BertMaskedLm implements TokenScorer, SentenceEncoder {
    private final ModelInfo info;
    private final HfTokenizer tokenizer;
    private final NDManager manager;
    private final BertConfig cfg;
    private final BertParams params;
    private final BertForward forward;

    public BertMaskedLm(ModelInfo info, HfTokenizer tokenizer, NDManager manager, Weights weights, BertConfig cfg)
            throws ModelException {
        this.info = info;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.cfg = cfg;
        this.params = new BertParams(weights, cfg);
        this.forward = new BertForward(params, cfg);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** The functional forward pass, for training code in this module. */
    public BertConfig config() {
        return cfg;
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) throws ModelException {
        if (!params.hasMlmHead()) {
            throw new ModelException(
                    info.id() + " has no masked-LM head (cls.predictions.*)",
                    "use a BertForMaskedLM checkpoint for fill-mask; this one can only embed");
        }
        PaddedBatch packed =
                PaddedBatch.of(batch.stream().map(LogProbQuery::ids).toList(), cfg.padId());
        long[] rows = RowReducer.rowIndices(batch, packed.length());
        float[] flat;
        try (NDManager m = manager.newSubManager()) {
            NDArray hidden = forward.encode(m, packed.ids(), packed.lengths(), batch.size(), packed.length());
            NDArray flatHidden = hidden.reshape(-1, cfg.hidden());
            NDArray sel = BertForward.embed(m.create(rows), flatHidden);
            flat = forward.mlmLogProbs(sel).toFloatArray();
        } catch (EngineException e) {
            throw new ModelException(
                    "libtorch failed on a batch of " + batch.size() + ": " + e.getMessage(),
                    "this is unexpected; rerun with a smaller --batch-size");
        }
        return RowReducer.answers(batch, flat, cfg.vocab());
    }

    @Override
    public List<float[]> embed(List<int[]> batch, Pooling pooling) throws ModelException {
        PaddedBatch packed = PaddedBatch.of(batch, cfg.padId());
        int h = cfg.hidden();
        float[] flat;
        try (NDManager m = manager.newSubManager()) {
            NDArray hidden = forward.encode(m, packed.ids(), packed.lengths(), batch.size(), packed.length());
            if (pooling == Pooling.CLS) {
                flat = hidden.get(":, 0, :").toFloatArray();
            } else {
                float[] mask = new float[batch.size() * packed.length()];
                for (int b = 0; b < batch.size(); b++) {
                    for (int t = 0; t < packed.lengths()[b]; t++) {
                        mask[b * packed.length() + t] = 1f;
                    }
                }
                NDArray mk = m.create(mask, new Shape(batch.size(), packed.length(), 1));
                NDArray sum = hidden.mul(mk).sum(new int[] {1});
                flat = sum.div(mk.sum(new int[] {1})).toFloatArray();
            }
        } catch (EngineException e) {
            throw new ModelException("libtorch failed on a batch of " + batch.size() + ": " + e.getMessage(), "");
        }
        List<float[]> out = new ArrayList<>(batch.size());
        for (int b = 0; b < batch.size(); b++) {
            float[] v = new float[h];
            System.arraycopy(flat, b * h, v, 0, h);
            out.add(v);
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
        tokenizer.close();
    }
}
