package org.unmask.models.onnxgen;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.models.Precision;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.causal.CausalLmLoader;
import org.unmask.models.djl.causal.DecoderConfig;
import org.unmask.models.djl.causal.DecoderLm;
import org.unmask.models.djl.causal.DecoderTables;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.internal.PaddedBatch;
import org.unmask.models.onnx.OrtRuntime;
import org.unmask.models.perf.ProcessMemory;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * A decoder-only causal LM on ONNX Runtime, over the graph {@link DecoderOnnxExport} writes from the same
 * safetensors: the fast FP32 inference path. Scoring is one run per batch; generation is one run for the prompt and
 * one per new token, the KV cache staying in ONNX Runtime's tensors between runs (a step's present keys and values
 * are the next step's past ones, never copied to Java). Sampling is {@link DecoderLm}'s, so equal seeds draw the
 * same continuations as on libtorch up to float rounding of the logits.
 */
public final class OrtCausalLm extends DecoderLm {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final MappedWeights weights;
    private final DecoderConfig cfg;
    private final float[] invFreq;
    private final boolean gpt2;
    private final boolean rope;
    private final AtomicLong runs = new AtomicLong();
    private final Precision precision;
    private final Path exportFolder;

    private OrtCausalLm(
            ModelInfo info, HfTokenizer tokenizer, DecoderConfig cfg, GraphExport export, Precision precision)
            throws ModelException {
        super(info, tokenizer, cfg);
        this.cfg = cfg;
        this.precision = precision;
        this.env = OrtRuntime.environment();
        this.gpt2 = cfg.family() == DecoderConfig.Family.GPT2;
        this.rope = cfg.family() != DecoderConfig.Family.GPT2 && cfg.family() != DecoderConfig.Family.BLOOM;
        this.invFreq = rope ? DecoderTables.ropeInverseFrequencies(cfg) : new float[0];
        this.exportFolder = export.model().getParent();
        this.weights = MappedWeights.map(env, export);
        try {
            this.session = GraphSessions.open(export.model(), weights);
        } catch (ModelException e) {
            weights.close();
            throw e;
        } catch (OrtException | RuntimeException e) {
            weights.close();
            throw new ModelException(
                    "ONNX Runtime could not load " + export.model() + ": " + e.getMessage(),
                    "delete that folder to rebuild the export, or use --backend torch");
        }
    }

    /** As {@link #loadIfSupported(String, Path, ModelConfig, Map, Path, Precision)} in fp32. */
    public static OrtCausalLm loadIfSupported(
            String id, Path dir, ModelConfig config, Map<String, String> lineage, Path cacheRoot)
            throws ModelException {
        return loadIfSupported(id, dir, config, lineage, cacheRoot, Precision.FP32);
    }

    /**
     * Loads the causal LM in {@code dir} on ONNX Runtime in {@code precision}, exporting its graph under
     * {@code cacheRoot} when not cached; null when the graph cannot run this checkpoint (fp32: weights other than
     * float32; int8: other than float32, float16 or bfloat16) or this precision (bf16), so the caller falls back to
     * libtorch. Int8 weights are quantised from the checkpoint on first use (about a second per 100 M parameters) into
     * a file beside the graph ({@link QuantizedFile}, about 1.1 bytes a weight on disk), which later loads reuse.
     */
    public static OrtCausalLm loadIfSupported(
            String id, Path dir, ModelConfig config, Map<String, String> lineage, Path cacheRoot, Precision precision)
            throws ModelException {
        if (!DecoderOnnxExport.supports(precision)) {
            return null;
        }
        DecoderConfig cfg = CausalLmLoader.checkedConfig(dir, config);
        String weightsSha;
        GraphExport onnx;
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(dir)) {
            // checked before hashing: a 7B BF16 checkpoint in fp32 falls back without reading its 13 GB twice. fp32
            // reads
            // float32 weights in place; a half-precision checkpoint in fp32 would be widened into a second, resident
            // copy of the model beside ONNX Runtime's packed one, so libtorch (which widens once) runs it. int8
            // quantises from any of float32, float16 and bfloat16.
            boolean readable = precision == Precision.FP32
                    ? ExternalWeights.allFloat32(ckpt)
                    : ExternalWeights.allFloatingPoint(ckpt);
            if (!DecoderOnnxExport.supports(cfg) || !readable) {
                return null;
            }
            weightsSha = FileHashes.weightsSha256(dir);
            onnx = DecoderOnnxExport.export(ckpt, cfg, weightsSha, cacheRoot, precision);
        }
        HfTokenizer tokenizer = HfTokenizer.load(dir, cfg.vocab());
        try {
            ModelInfo info = new ModelInfo(
                    id,
                    config.architecture(),
                    ModelKind.CAUSAL_LM,
                    dir,
                    weightsSha,
                    FileHashes.sha256(dir.resolve("tokenizer.json")),
                    "onnxruntime " + OrtRuntime.environment().getVersion() + " cpu"
                            + (precision == Precision.FP32
                                    ? ""
                                    : ", MatMulNBits blocks of " + DecoderOnnxExport.INT8_BLOCK + ", "
                                            + precision.describe()),
                    cfg.maxPositions(),
                    withScheme(precision.withProvenance(lineage), precision));
            return new OrtCausalLm(info, tokenizer, cfg, onnx, precision);
        } catch (ModelException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * The lineage plus, in int8, the quantisation scheme: it differs from libtorch's int8 (per output channel), so a
     * generation journal of one is not resumed with the other ({@code GenerationJournal.modelKey}).
     */
    private static Map<String, String> withScheme(Map<String, String> lineage, Precision precision) {
        if (precision == Precision.FP32) {
            return lineage;
        }
        Map<String, String> out = new LinkedHashMap<>(lineage);
        out.put("precision.scheme", "onnxruntime-matmulnbits-b" + DecoderOnnxExport.INT8_BLOCK + "-a8");
        return out;
    }

    /**
     * Resident bytes a model of {@code parameters} weights needs in int8 on ONNX Runtime: ONNX Runtime's packed blocks
     * (with their scales and block sums), float32 embeddings, the pages of {@link QuantizedFile} it is packing and the
     * JVM — measured 12.24 GB when the file is first built and 10.62 GB when it is reused, for a 6.74 B-parameter
     * Llama-2-7B shape (PERFORMANCE.md), so ≈ 1.9 bytes a parameter covers the first load.
     */
    static long int8ResidentBytes(long parameters) {
        return (long) (parameters * 1.9);
    }

    /**
     * Null when {@code dir}'s model fits in int8 on ONNX Runtime in the memory available now, else one line saying
     * what it needs and what there is (so a run is not killed by the kernel halfway through loading).
     */
    public static String int8MemoryShortfall(Path dir) throws ModelException {
        long parameters;
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(dir)) {
            parameters = ckpt.tensors().values().stream()
                    .mapToLong(t -> Arrays.stream(t.shape()).reduce(1, Math::multiplyExact))
                    .sum();
        }
        OptionalLong available = ProcessMemory.availableBytes();
        return available.isEmpty() ? null : int8MemoryShortfall(parameters, available.getAsLong());
    }

    static String int8MemoryShortfall(long parameters, long availableBytes) {
        long need = int8ResidentBytes(parameters);
        if (need <= availableBytes) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "int8 on ONNX Runtime needs about %.1f GB resident for %.2f B parameters; %.1f GB is available",
                need / 1e9,
                parameters / 1e9,
                availableBytes / 1e9);
    }

    /** fp32 (the checkpoint's float32 weights read in place) or int8 (quantised from them when loading). */
    @Override
    public Precision precision() {
        return precision;
    }

    /**
     * The cache folder of this model's graph (and, in int8, of its quantised weights): derived files a caller that
     * made a throwaway checkpoint may delete with it once this model is closed.
     */
    public Path exportFolder() {
        return exportFolder;
    }

    /** ONNX Runtime runs so far (one per scoring batch, prompt and generated token): for tests and benchmarks. */
    public long runs() {
        return runs.get();
    }

    @Override
    protected float[] logProbs(PaddedBatch packed, long[] rows) throws ModelException {
        int[] ids = new int[packed.ids().length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) packed.ids()[i];
        }
        try (OrtSteps s = new OrtSteps()) {
            float[] logits = s.run(ids, packed.batch(), rows, false);
            int vocab = cfg.vocab();
            for (int r = 0; r < rows.length; r++) {
                logSoftmax(logits, r * vocab, vocab);
            }
            return logits;
        }
    }

    /** In place, in double, as log(softmax) of the float logits; a NaN/Inf logit is an error. */
    private void logSoftmax(float[] x, int from, int n) throws ModelException {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            if (!Float.isFinite(x[i])) {
                throw new ModelException(
                        info().id() + " produced a non-finite logit on ONNX Runtime",
                        "the weights may be corrupt; check them with --backend torch");
            }
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += Math.exp(x[i] - max);
        }
        double log = max + Math.log(sum);
        for (int i = from; i < from + n; i++) {
            x[i] = (float) (x[i] - log);
        }
    }

    @Override
    protected Steps steps() {
        return new OrtSteps();
    }

    @Override
    protected float[] allLogits(int[] ids) throws ModelException {
        long[] rows = new long[ids.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        try (OrtSteps s = new OrtSteps()) {
            return s.run(ids, 1, rows, false);
        }
    }

    /**
     * One KV cache held as ONNX Runtime tensors: the result of the last run (whose present keys and values feed the
     * next run) or, after {@link #repeatBatch}, tensors made here.
     */
    private final class OrtSteps implements Steps {
        private final List<OnnxTensor> past = new ArrayList<>();
        private final List<OnnxTensor> owned = new ArrayList<>();
        private OrtSession.Result last;
        private int length;
        private int batch = 1;

        @Override
        public float[] feed(int[] ids, int rows) throws ModelException {
            int len = ids.length / rows;
            long[] gather = new long[rows];
            for (int b = 0; b < rows; b++) {
                gather[b] = (long) b * len + len - 1;
            }
            return run(ids, rows, gather, true);
        }

        /** Runs the graph once over {@code ids} ([rows, ids/rows]) after the cached positions. */
        float[] run(int[] ids, int rows, long[] gather, boolean keep) throws ModelException {
            int len = ids.length / rows;
            if (length > 0 && rows != batch) {
                throw new IllegalStateException("a cache of batch " + batch + " fed " + rows + " rows");
            }
            Map<String, OnnxTensor> feeds = new HashMap<>();
            List<OnnxTensor> made = new ArrayList<>();
            OrtSession.Result result = null;
            try {
                long[] in = new long[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    in[i] = ids[i];
                }
                feeds.put("input_ids", longs(made, in, rows, len));
                feeds.put("gather_rows", longs(made, gather, gather.length));
                int heads = DecoderTables.biasHeads(cfg);
                feeds.put(
                        "attention_bias",
                        floats(made, DecoderTables.attentionBias(cfg, length, len), heads, 1, len, length + len));
                if (gpt2) {
                    long[] pos = new long[len];
                    for (int t = 0; t < len; t++) {
                        pos[t] = length + t;
                    }
                    feeds.put("position_ids", longs(made, pos, len));
                }
                if (rope) {
                    float[][] cs = DecoderTables.ropeCosSin(invFreq, length, len);
                    feeds.put("rope_cos", floats(made, cs[0], len, cfg.headDim()));
                    feeds.put("rope_sin", floats(made, cs[1], len, cfg.headDim()));
                }
                for (int l = 0; l < cfg.layers(); l++) {
                    if (past.isEmpty()) {
                        long[] empty = {rows, cfg.kvHeads(), 0, cfg.headDim()};
                        feeds.put("past_key_" + l, floats(made, new float[0], empty));
                        feeds.put("past_value_" + l, floats(made, new float[0], empty));
                    } else {
                        feeds.put("past_key_" + l, past.get(2 * l));
                        feeds.put("past_value_" + l, past.get(2 * l + 1));
                    }
                }
                runs.incrementAndGet();
                result = keep ? session.run(feeds) : session.run(feeds, Set.of("logits"));
                float[] logits = floats(result.get("logits").orElseThrow());
                if (keep) {
                    List<OnnxTensor> next = new ArrayList<>();
                    for (int l = 0; l < cfg.layers(); l++) {
                        next.add((OnnxTensor) result.get("present_key_" + l).orElseThrow());
                        next.add((OnnxTensor) result.get("present_value_" + l).orElseThrow());
                    }
                    release();
                    past.addAll(next);
                    last = result;
                    result = null;
                    length += len;
                    batch = rows;
                }
                return logits;
            } catch (OrtException e) {
                throw new ModelException(
                        "ONNX Runtime failed on a batch of " + rows + ": " + e.getMessage(),
                        "this is unexpected; retry with --backend torch");
            } finally {
                made.forEach(OnnxTensor::close);
                if (result != null) {
                    result.close();
                }
            }
        }

        @Override
        public void repeatBatch(int n) throws ModelException {
            if (n == batch) {
                return;
            }
            List<OnnxTensor> tiled = new ArrayList<>();
            try {
                for (OnnxTensor t : past) {
                    float[] one = floats(t);
                    float[] many = new float[one.length * n];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(one, 0, many, i * one.length, one.length);
                    }
                    long[] shape = t.getInfo().getShape().clone();
                    shape[0] = n;
                    tiled.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(many), shape));
                }
            } catch (OrtException e) {
                tiled.forEach(OnnxTensor::close);
                throw new ModelException("ONNX Runtime failed to copy the KV cache: " + e.getMessage(), "unexpected");
            }
            release();
            past.addAll(tiled);
            owned.addAll(tiled);
            batch = n;
        }

        /** Frees the current cache tensors (the last result's, or those made by {@link #repeatBatch}). */
        private void release() {
            past.clear();
            owned.forEach(OnnxTensor::close);
            owned.clear();
            if (last != null) {
                last.close();
                last = null;
            }
        }

        @Override
        public void close() {
            release();
        }
    }

    private OnnxTensor longs(List<OnnxTensor> made, long[] v, long... shape) throws OrtException {
        OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(v), shape);
        made.add(t);
        return t;
    }

    private OnnxTensor floats(List<OnnxTensor> made, float[] v, long... shape) throws OrtException {
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
        made.add(t);
        return t;
    }

    private static float[] floats(OnnxValue v) {
        FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
        // getFloatBuffer already copies into a fresh heap buffer: hand its array over instead of copying it again
        // (16 sampled rows are 3.2 MB of logits a step)
        if (fb.hasArray() && fb.arrayOffset() == 0 && fb.position() == 0 && fb.remaining() == fb.array().length) {
            return fb.array();
        }
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing frees native memory; nothing a caller could do about a failure here
        }
        weights.close(); // after the session: it reads them in place
        super.close();
    }
}
