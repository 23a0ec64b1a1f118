package org.unmask.models.onnxgen;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.SentenceEncoder;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.model.TokenScorer;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.internal.PaddedBatch;
import org.unmask.models.internal.RowReducer;
import org.unmask.models.onnx.OrtRuntime;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * BERT on ONNX Runtime, from the graph {@link BertOnnxExport} writes over the same safetensors
 * weights: the fast FP32 inference path. Same inputs and padding rules as the libtorch backend, so
 * the two agree to float rounding (checked in tests). An int8 graph runs the same way; its quantised
 * weights are built from the checkpoint once, into a file beside the graph ({@link QuantizedFile}).
 */
public final class OrtBertMaskedLm implements TokenScorer, SentenceEncoder {
    private final ModelInfo info;
    private final HfTokenizer tokenizer;
    private final BertConfig cfg;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final MappedWeights weights;
    private final boolean hasHead;

    public OrtBertMaskedLm(ModelInfo info, HfTokenizer tokenizer, BertConfig cfg, GraphExport export)
            throws ModelException {
        this.info = info;
        this.tokenizer = tokenizer;
        this.cfg = cfg;
        this.env = OrtRuntime.environment();
        Path onnx = export.model();
        this.weights = MappedWeights.map(env, export);
        try {
            this.session = GraphSessions.open(onnx, weights);
            this.hasHead = session.getOutputNames().contains("log_probs");
        } catch (ModelException e) {
            weights.close();
            throw e;
        } catch (OrtException | RuntimeException e) {
            weights.close();
            throw new ModelException(
                    "ONNX Runtime could not load " + onnx + ": " + e.getMessage(),
                    "delete that folder to rebuild the export, or use --backend torch");
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) throws ModelException {
        if (!hasHead) {
            throw new ModelException(
                    info.id() + " has no masked-LM head (cls.predictions.*)",
                    "use a BertForMaskedLM checkpoint for fill-mask; this one can only embed");
        }
        PaddedBatch packed =
                PaddedBatch.of(batch.stream().map(LogProbQuery::ids).toList(), cfg.padId());
        float[] flat = run(packed, RowReducer.rowIndices(batch, packed.length()), "log_probs");
        return RowReducer.answers(batch, flat, cfg.vocab());
    }

    @Override
    public List<float[]> embed(List<int[]> batch, Pooling pooling) throws ModelException {
        PaddedBatch packed = PaddedBatch.of(batch, cfg.padId());
        float[] hidden = run(packed, new long[] {0}, "hidden");
        int h = cfg.hidden();
        List<float[]> out = new ArrayList<>(batch.size());
        for (int b = 0; b < batch.size(); b++) {
            float[] v = new float[h];
            int base = b * packed.length() * h;
            if (pooling == Pooling.CLS) {
                System.arraycopy(hidden, base, v, 0, h);
            } else {
                int n = packed.lengths()[b];
                for (int t = 0; t < n; t++) {
                    for (int j = 0; j < h; j++) {
                        v[j] += hidden[base + t * h + j];
                    }
                }
                for (int j = 0; j < h; j++) {
                    v[j] /= n;
                }
            }
            out.add(v);
        }
        return out;
    }

    private float[] run(PaddedBatch packed, long[] rows, String output) throws ModelException {
        int tokens = packed.ids().length;
        long[] positions = new long[tokens];
        for (int i = 0; i < tokens; i++) {
            positions[i] = cfg.family().position(i % packed.length(), cfg.padId());
        }
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            feeds.put("input_ids", longs(packed.ids(), tokens));
            feeds.put("position_ids", longs(positions, tokens));
            feeds.put("token_type_ids", longs(new long[tokens], tokens));
            feeds.put(
                    "attention_bias",
                    OnnxTensor.createTensor(env, FloatBuffer.wrap(packed.attentionBias()), new long[] {
                        packed.batch(), 1, 1, packed.length()
                    }));
            feeds.put("qkv_shape", longs(new long[] {packed.batch(), packed.length(), cfg.heads(), cfg.headDim()}, 4));
            feeds.put("ctx_shape", longs(new long[] {tokens, cfg.hidden()}, 2));
            feeds.put("gather_rows", longs(rows, rows.length));
            try (OrtSession.Result result = session.run(feeds, Set.of(output))) {
                FloatBuffer fb = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        } catch (OrtException e) {
            throw new ModelException(
                    "ONNX Runtime failed on a batch of " + packed.batch() + ": " + e.getMessage(),
                    "this is unexpected; retry with --backend torch");
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor longs(long[] v, int n) throws OrtException {
        return OnnxTensor.createTensor(env, LongBuffer.wrap(v), new long[] {n});
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing frees native memory; nothing a caller could do about a failure here
        }
        weights.close(); // after the session: it reads these tensors until it is closed
        tokenizer.close();
    }
}
