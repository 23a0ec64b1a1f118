package org.unmask.models.onnxgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.unmask.core.error.ModelException;
import org.unmask.models.Precision;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertTensorNames;
import org.unmask.models.safetensors.ShardedCheckpoint;

/**
 * Writes a BERT-family checkpoint (BERT, RoBERTa, DistilBERT) as an ONNX graph whose weights are read in place from
 * the safetensors file(s), so ONNX Runtime can run the same weights as libtorch without a Python export step and
 * without copying 440 MB. The graph declares every weight as an external initializer (file, offset, length); the
 * session supplies the bytes itself, memory-mapped from the checkpoint ({@link MappedWeights}): ONNX Runtime 1.24+
 * refuses external data that resolves outside the model's folder, which symbolic links to the checkpoint do.
 *
 * <p>The hidden states are kept as a [tokens, hidden] matrix so every dense layer is one {@code Gemm(transB=1)} on
 * the [out, in] weights exactly as Hugging Face stores them. Attention is batched MatMul + Softmax with an additive
 * padding bias; the residual add, the dense bias and the LayerNorm run as one {@code SkipLayerNormalization}, and the
 * feed-forward activation as {@code BiasGelu} (exact erf GELU). Inputs: {@code input_ids}, {@code position_ids},
 * {@code token_type_ids} (all [tokens]), {@code attention_bias} [batch,1,1,length], {@code qkv_shape} = [batch,
 * length, heads, head_dim], {@code ctx_shape} = [tokens, hidden], {@code gather_rows} [n]. Outputs: {@code hidden}
 * [tokens, hidden] and {@code log_probs} [n, vocab] (the MLM head on the gathered rows only).
 *
 * <p>In {@link Precision#INT8} the products with a weight matrix (Q, K, V, attention output, feed-forward in, the MLM
 * head's transform and its vocabulary projection) are {@code DynamicQuantizeMatMul} instead: weights int8 per output
 * column, quantised once into {@link QuantizedFile} ({@link ColumnInt8Weights}), activations quantised per tensor at
 * run time, int8 arithmetic (MLAS QGEMM). The feed-forward output projection, whose GELU input has outlier channels, is a
 * {@code MatMulNBits} over int8 blocks of {@link #FFN_OUT_BLOCK} instead, activations quantised per row and block
 * ({@link NBitsWeights}). Embeddings, norms, softmax and the log-softmax stay float32.
 */
public final class BertOnnxExport {
    /** Bump when the graph changes, so cached exports are rebuilt (part of every cache key). */
    static final int GRAPH_VERSION = 5;

    /** The operator of the weight products in {@link Precision#INT8} (part of the int8 cache key). */
    static final String INT8_OP = "DynamicQuantizeMatMul";

    /** Weights (and activations) per int8 block of the feed-forward output projection's {@code MatMulNBits}. */
    public static final int FFN_OUT_BLOCK = 32;

    private BertOnnxExport() {}

    /** {@link #exportGraph}, for callers that only need the graph file. */
    public static Path export(ShardedCheckpoint ckpt, BertConfig cfg, String weightsSha, Path cacheRoot)
            throws ModelException {
        return exportGraph(ckpt, cfg, weightsSha, cacheRoot).model();
    }

    /**
     * Returns {@code model.onnx} for this checkpoint under {@code cacheRoot}, writing it (atomically) when absent,
     * with the weights it reads. The export folder is named by {@link #cacheKey}: a change to the weights, to any
     * config number the graph bakes in (layers, epsilon, attention scale, vocabulary) or to the graph's code, or a
     * checkpoint at another path, gives another folder, so a cached graph is never reused for a model it was not
     * built from.
     */
    public static GraphExport exportGraph(ShardedCheckpoint ckpt, BertConfig cfg, String weightsSha, Path cacheRoot)
            throws ModelException {
        return exportGraph(ckpt, cfg, weightsSha, cacheRoot, Precision.FP32);
    }

    /** Whether the graph runs {@code precision}: fp32, or int8 weights through {@code DynamicQuantizeMatMul}. */
    public static boolean supports(Precision precision) {
        return precision == Precision.FP32 || precision == Precision.INT8;
    }

    /**
     * As {@link #exportGraph(ShardedCheckpoint, BertConfig, String, Path)} in {@code precision} ({@link #supports}); an
     * int8 graph has its own folder ({@code bert-g<version>-int8-<key>}, the precision in the key too).
     */
    public static GraphExport exportGraph(
            ShardedCheckpoint ckpt, BertConfig cfg, String weightsSha, Path cacheRoot, Precision precision)
            throws ModelException {
        if (!supports(precision)) {
            throw new IllegalArgumentException("the BERT graph runs fp32 or int8, not " + precision);
        }
        // build first (cheap: metadata only): a config or checkpoint error must leave no folder behind, and the
        // weight list is needed whether or not the graph is cached
        OnnxGraph g = new OnnxGraph();
        ExternalWeights w = new ExternalWeights(g, ckpt);
        byte[] bytes = build(g, ckpt, cfg, new Weights(w, precision));
        String name;
        try {
            String tag = precision == Precision.FP32 ? "" : precision.label() + "-";
            name = "bert-g" + GRAPH_VERSION + "-" + tag
                    + cacheKey(ckpt, cfg, weightsSha, GRAPH_VERSION, precision, bytes);
        } catch (IOException e) {
            throw new ModelException(
                    "cannot resolve a weight file of " + ckpt.dir() + ": " + e.getMessage(),
                    "check the model folder, or use --backend torch");
        }
        GraphExport export = new GraphExport(
                OnnxExportFolder.publish(cacheRoot.resolve("onnx"), name, bytes), w.weights(), w.quantizedWeights());
        QuantizedFile.ensure(export);
        return export;
    }

    /**
     * The export folder's name: the graph version in clear (so an older layout, e.g. {@code bert-g3-*} with links to
     * the weights, is never opened by this code) and {@link #cacheKey}.
     */
    static String folderName(ShardedCheckpoint ckpt, BertConfig cfg, String weightsSha) throws IOException {
        return folderName(ckpt, cfg, weightsSha, GRAPH_VERSION);
    }

    /** The folder the exporter of {@code graphVersion} wrote (older versions: to show they are never opened). */
    static String folderName(ShardedCheckpoint ckpt, BertConfig cfg, String weightsSha, int graphVersion)
            throws IOException {
        return "bert-g" + graphVersion + "-" + cacheKey(ckpt, cfg, weightsSha, graphVersion, Precision.FP32, null);
    }

    /**
     * SHA-256 (first 32 hex digits) over everything the export depends on: the weights' hash, the real paths of the
     * weight files the graph reads, every {@link BertConfig} field, the tensor names the graph reads (which
     * optional tensors exist) and {@link #GRAPH_VERSION}; a reduced precision adds its operator and the graph's
     * bytes (and its folder is tagged {@code int8-}). Folder names of older versions had another form
     * ({@code <sha>-bert-v2}), so they can never match.
     */
    static String cacheKey(ShardedCheckpoint ckpt, BertConfig cfg, String weightsSha) throws IOException {
        return cacheKey(ckpt, cfg, weightsSha, GRAPH_VERSION, Precision.FP32, null);
    }

    /**
     * The key of the graph in {@code precision}; a reduced precision's key also hashes the graph's bytes
     * ({@code graph}), so every operator and attribute of a quantised graph is part of it (fp32 keys stay as they
     * were).
     */
    private static String cacheKey(
            ShardedCheckpoint ckpt,
            BertConfig cfg,
            String weightsSha,
            int graphVersion,
            Precision precision,
            byte[] graph)
            throws IOException {
        StringBuilder k = new StringBuilder("unmask-bert-onnx\n");
        k.append("graph=").append(graphVersion).append('\n');
        if (precision != Precision.FP32) {
            // fp32 keys stay as they were (no line), so existing fp32 exports are still found
            k.append("precision=")
                    .append(precision.label())
                    .append(" ")
                    .append(INT8_OP)
                    .append('\n');
            k.append("graph-bytes=").append(sha256(graph)).append('\n');
        }
        k.append("weights=").append(weightsSha).append('\n');
        // a record's toString lists every component, so a field added to BertConfig joins the key by itself
        k.append("config=").append(cfg).append('\n');
        k.append("tensors=").append(BertTensorNames.of(cfg, ckpt::contains)).append('\n');
        for (var f : ckpt.files()) {
            k.append("file=").append(f.path().toRealPath()).append('\n');
        }
        return sha256(k.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }

    private static byte[] build(OnnxGraph g, ShardedCheckpoint ckpt, BertConfig cfg, Weights w) throws ModelException {
        BertTensorNames n = BertTensorNames.of(cfg, ckpt::contains);
        g.input("input_ids", OnnxGraph.INT64, "tokens");
        g.input("position_ids", OnnxGraph.INT64, "tokens");
        g.input("token_type_ids", OnnxGraph.INT64, "tokens");
        g.input("attention_bias", OnnxGraph.FLOAT, "batch", "1", "1", "length");
        g.input("qkv_shape", OnnxGraph.INT64, "4");
        g.input("ctx_shape", OnnxGraph.INT64, "2");
        g.input("gather_rows", OnnxGraph.INT64, "n");

        String x = g.op("Add", new String[] {
            g.op("Gather", new String[] {w.get(n.wordEmb()), "input_ids"}),
            g.op("Gather", new String[] {w.get(n.posEmb()), "position_ids"})
        });
        if (n.typeEmb() != null) {
            x = g.op("Add", new String[] {x, g.op("Gather", new String[] {w.get(n.typeEmb()), "token_type_ids"})});
        }
        x = layerNorm(g, x, w.get(n.embLnW()), w.get(n.embLnB()), cfg);
        String scale = g.constantFloats("scale", new long[0], new float[] {(float) (1 / Math.sqrt(cfg.headDim()))});
        for (BertTensorNames.Layer l : n.layers()) {
            x = layer(g, w, l, x, scale, cfg);
        }
        g.output(g.rename(x, "hidden"), OnnxGraph.FLOAT, "tokens", Integer.toString(cfg.hidden()));
        if (n.hasMlmHead()) {
            String rows = g.op("Gather", new String[] {x, "gather_rows"}, OnnxGraph.Attr.i("axis", 0));
            String t = g.contrib("BiasGelu", new String[] {matmul(g, w, rows, n.headDenseW()), w.get(n.headDenseB())});
            t = layerNorm(g, t, w.get(n.headLnW()), w.get(n.headLnB()), cfg);
            String logits = dense(g, w, t, n.decoderW(), n.decoderB());
            String lp = g.op("LogSoftmax", new String[] {logits}, OnnxGraph.Attr.i("axis", -1));
            g.output(g.rename(lp, "log_probs"), OnnxGraph.FLOAT, "n", Integer.toString(cfg.vocab()));
        }
        return g.toModel("unmask");
    }

    private static String layer(OnnxGraph g, Weights w, BertTensorNames.Layer l, String x, String scale, BertConfig cfg)
            throws ModelException {
        // attention as plain batched MatMul + Softmax: measured faster on CPU than the fused com.microsoft.Attention
        // kernel at batch 8 and 32 (PERFORMANCE.md); ORT's optimiser fuses the scale into the MatMul itself
        String q = heads(g, dense(g, w, x, l.qW(), l.qB()), 0, 2, 1, 3);
        String k = heads(g, dense(g, w, x, l.kW(), l.kB()), 0, 2, 3, 1);
        String v = heads(g, dense(g, w, x, l.vW(), l.vB()), 0, 2, 1, 3);
        String scores = g.op("Add", new String[] {
            g.op("Mul", new String[] {g.op("MatMul", new String[] {q, k}), scale}), "attention_bias"
        });
        String probs = g.op("Softmax", new String[] {scores}, OnnxGraph.Attr.i("axis", -1));
        String ctx = g.op(
                "Transpose",
                new String[] {g.op("MatMul", new String[] {probs, v})},
                OnnxGraph.Attr.ints("perm", 0, 2, 1, 3));
        ctx = g.op("Reshape", new String[] {ctx, "ctx_shape"});
        String a = skipLayerNorm(g, matmul(g, w, ctx, l.oW()), x, w, l.ln1W(), l.ln1B(), l.oB(), cfg);
        String h = g.contrib("BiasGelu", new String[] {matmul(g, w, a, l.iW()), w.get(l.iB())});
        // the feed-forward output reads the 3072-wide GELU activations, whose few large channels make one per-tensor
        // int8 scale too coarse for the rest: as a DynamicQuantizeMatMul it shrank the audit's association measure by
        // a third on bert-base-uncased, so in int8 it is a MatMulNBits, whose activations are quantised per row and
        // block of 32 (PERFORMANCE.md, "Int8 masked LMs")
        String down = w.precision() == Precision.INT8
                ? blockwise(w, h, l.o2W())
                : g.op("Gemm", new String[] {h, w.get(l.o2W())}, OnnxGraph.Attr.i("transB", 1));
        return skipLayerNorm(g, down, a, w, l.ln2W(), l.ln2B(), l.o2B(), cfg);
    }

    private static String heads(OnnxGraph g, String x, long... perm) {
        return g.op(
                "Transpose",
                new String[] {g.op("Reshape", new String[] {x, "qkv_shape"})},
                OnnxGraph.Attr.ints("perm", perm));
    }

    /** LayerNorm(x + skip + bias) in one kernel: the residual add, the dense layer's bias and the norm. */
    private static String skipLayerNorm(
            OnnxGraph g, String x, String skip, Weights w, String scale, String shift, String bias, BertConfig cfg)
            throws ModelException {
        return g.contrib(
                "SkipLayerNormalization",
                new String[] {x, skip, w.get(scale), w.get(shift), w.get(bias)},
                OnnxGraph.Attr.f("epsilon", cfg.layerNormEps()));
    }

    /** x · Wᵀ without bias (the bias joins a fused op after it). */
    private static String matmul(OnnxGraph g, Weights w, String x, String weight) throws ModelException {
        return dense(g, w, x, weight, null);
    }

    /**
     * x · Wᵀ + bias (null: none) for a checkpoint weight W [out, in]: a {@code Gemm} over the float32 weights, or in
     * int8 a {@code DynamicQuantizeMatMul} over W quantised per output column (B int8 [in, out], no zero point).
     */
    private static String dense(OnnxGraph g, Weights w, String x, String weight, String bias) throws ModelException {
        if (w.precision() == Precision.INT8) {
            String[] q = w.external().int8Columns(weight, false);
            String[] in = bias == null ? new String[] {x, q[0], q[1]} : new String[] {x, q[0], q[1], "", w.get(bias)};
            return g.contrib(INT8_OP, in);
        }
        String[] in = bias == null ? new String[] {x, w.get(weight)} : new String[] {x, w.get(weight), w.get(bias)};
        return g.op("Gemm", in, OnnxGraph.Attr.i("transB", 1));
    }

    /**
     * x · Wᵀ for a checkpoint weight W [out, in] as a {@code MatMulNBits} over int8 blocks of {@link #FFN_OUT_BLOCK}
     * ({@link ExternalWeights#matMulNBits}): x is quantised per row and block too.
     */
    private static String blockwise(Weights w, String x, String weight) throws ModelException {
        return w.external().matMulNBits(null, x, weight, false, null, FFN_OUT_BLOCK);
    }

    /** The checkpoint's tensors as the graph declares them, and the precision its weight matrices run in. */
    private record Weights(ExternalWeights external, Precision precision) {
        String get(String name) throws ModelException {
            return external.get(name);
        }
    }

    private static String layerNorm(OnnxGraph g, String x, String scale, String bias, BertConfig cfg) {
        return g.op(
                "LayerNormalization",
                new String[] {x, scale, bias},
                OnnxGraph.Attr.i("axis", -1),
                OnnxGraph.Attr.f("epsilon", cfg.layerNormEps()));
    }
}
