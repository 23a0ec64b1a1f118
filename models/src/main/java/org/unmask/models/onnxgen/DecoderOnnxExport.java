package org.unmask.models.onnxgen;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import org.unmask.core.error.ModelException;
import org.unmask.models.Precision;
import org.unmask.models.djl.causal.DecoderConfig;
import org.unmask.models.djl.causal.DecoderConfig.Family;
import org.unmask.models.safetensors.ShardedCheckpoint;

/**
 * Writes a decoder-only causal LM (GPT-2, Llama/Mistral/Qwen2, OLMo, OLMo-2, BLOOM) as one ONNX graph over the
 * safetensors weights read in place, with the KV cache as graph inputs and outputs, so a prefill and every
 * decode step are each one ONNX Runtime run. Standard ONNX ops (opset 17) plus one contrib op, {@code FastGelu}
 * (the tanh GELU); ONNX Runtime's optimiser fuses what it can (SkipLayerNorm, MatMul scaling) without changing the
 * maths beyond float rounding.
 *
 * <p>Inputs: {@code input_ids} [batch, length]; {@code attention_bias} [heads or 1, 1, length, past + length]
 * (causal mask, sliding window and ALiBi, computed by the caller); {@code gather_rows} [n] (flattened
 * [batch * length] positions whose logits are wanted); {@code past_key_i}/{@code past_value_i}
 * [batch, kvHeads, past, headDim] per layer; GPT-2 also {@code position_ids} [length]; the Llama family
 * {@code rope_cos}/{@code rope_sin} [length, headDim]. Outputs: {@code logits} [n, vocab] and
 * {@code present_key_i}/{@code present_value_i} [batch, kvHeads, past + length, headDim]. Rows are
 * right-padded, every row at the same positions, so one bias and one RoPE table serve the whole batch.
 */
public final class DecoderOnnxExport {
    /** Bump when the graph changes, so cached exports are rebuilt (part of every cache key). */
    static final int GRAPH_VERSION = 4; // 4: outputs written by their ops, no Identity copies; 3: mapped weights

    /** Weights per int8 block: the finest MatMulNBits offers (the most accurate; see PERFORMANCE.md for the cost). */
    static final int INT8_BLOCK = 32;

    private static final float OLMO_LN_EPS = 1e-5f;

    private final OnnxGraph g = new OnnxGraph();
    private final DecoderConfig cfg;
    private final ExternalWeights w;
    private final Precision precision;
    private String qShape;
    private String kvShape;
    private String flatShape;

    private DecoderOnnxExport(ShardedCheckpoint ckpt, DecoderConfig cfg, Precision precision) {
        this.cfg = cfg;
        this.w = new ExternalWeights(g, ckpt);
        this.precision = precision;
    }

    /** Whether the graph runs {@code precision} (fp32, or int8 weights through {@code MatMulNBits}). */
    public static boolean supports(Precision precision) {
        return precision == Precision.FP32 || precision == Precision.INT8;
    }

    /** Whether the graph implements this config's family (every family {@link DecoderConfig} reads). */
    public static boolean supports(DecoderConfig cfg) {
        return cfg.family() != null;
    }

    /**
     * Returns {@code model.onnx} for this checkpoint under {@code cacheRoot}/onnx, writing it (atomically) when
     * absent, with the weights a session must map for it ({@link MappedWeights}; the folder holds the graph only). The
     * folder is named by {@link #GRAPH_VERSION} in clear and a hash of the graph's own bytes (which bake every config
     * number and tensor name and offset the graph uses), every {@link DecoderConfig} field, the weights' hash, the
     * real paths of the weight files and the graph version, so a cached graph is never reused for a model it was not
     * built from.
     */
    public static GraphExport export(ShardedCheckpoint ckpt, DecoderConfig cfg, String weightsSha, Path cacheRoot)
            throws ModelException {
        return export(ckpt, cfg, weightsSha, cacheRoot, Precision.FP32);
    }

    /**
     * As {@link #export(ShardedCheckpoint, DecoderConfig, String, Path)} in {@code precision}: {@link Precision#INT8}
     * turns every matrix product with a weight (the head included) into {@code MatMulNBits} over int8 blocks of
     * {@link #INT8_BLOCK} ({@link NBitsWeights}, built once into {@link QuantizedFile}), whose attributes are part of
     * the graph's bytes and so of its cache key.
     */
    public static GraphExport export(
            ShardedCheckpoint ckpt, DecoderConfig cfg, String weightsSha, Path cacheRoot, Precision precision)
            throws ModelException {
        if (!supports(precision)) {
            throw new IllegalArgumentException("the decoder graph runs fp32 or int8, not " + precision);
        }
        DecoderOnnxExport e = new DecoderOnnxExport(ckpt, cfg, precision);
        byte[] bytes = e.bytes(ckpt);
        String key = cacheKey(bytes, cfg, weightsSha, e.w.files());
        String tag = precision == Precision.FP32 ? "" : precision.label() + "-";
        Path model = OnnxExportFolder.publish(
                cacheRoot.resolve("onnx"), "decoder-g" + GRAPH_VERSION + "-" + tag + key, bytes);
        GraphExport export = new GraphExport(model, e.w.weights(), e.w.quantizedWeights());
        QuantizedFile.ensure(export);
        return export;
    }

    static String cacheKey(byte[] graph, DecoderConfig cfg, String weightsSha, Collection<Path> files)
            throws ModelException {
        StringBuilder k = new StringBuilder("unmask-decoder-onnx\n");
        k.append("graph=").append(GRAPH_VERSION).append('\n');
        k.append("weights=").append(weightsSha).append('\n');
        k.append("config=").append(describe(cfg)).append('\n');
        try {
            for (Path f : files) {
                k.append("file=").append(f.toRealPath()).append('\n');
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(k.toString().getBytes(StandardCharsets.UTF_8));
            md.update(graph);
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (java.io.IOException e) {
            throw new ModelException(
                    "cannot resolve a weight file of the ONNX export: " + e.getMessage(),
                    "check the model folder, or use --backend torch");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }

    /** Every record component of the config by name, arrays by content (a record's toString prints their ids). */
    static String describe(DecoderConfig cfg) {
        StringBuilder s = new StringBuilder();
        for (var c : DecoderConfig.class.getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(cfg);
                s.append(c.getName())
                        .append('=')
                        .append(v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v))
                        .append(';');
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("record accessor " + c.getName(), e);
            }
        }
        return s.toString();
    }

    /** The graph's bytes, declaring the weights it reads as it goes. */
    private byte[] bytes(ShardedCheckpoint ckpt) throws ModelException {
        graph(ckpt);
        return g.toModel("unmask");
    }

    private void graph(ShardedCheckpoint ckpt) throws ModelException {
        int layers = cfg.layers();
        int d = cfg.headDim();
        g.input("input_ids", OnnxGraph.INT64, "batch", "length");
        g.input("attention_bias", OnnxGraph.FLOAT, "bias_heads", "1", "length", "total");
        g.input("gather_rows", OnnxGraph.INT64, "n");
        for (int i = 0; i < layers; i++) {
            g.input("past_key_" + i, OnnxGraph.FLOAT, "batch", Integer.toString(cfg.kvHeads()), "past", "" + d);
            g.input("past_value_" + i, OnnxGraph.FLOAT, "batch", Integer.toString(cfg.kvHeads()), "past", "" + d);
        }
        String bt = g.op("Shape", new String[] {"input_ids"});
        int group = cfg.heads() / cfg.kvHeads();
        qShape = g.op("Concat", new String[] {bt, g.constantLongs("q_dims", cfg.kvHeads(), group, d)}, axis(0));
        kvShape = g.op("Concat", new String[] {bt, g.constantLongs("kv_dims", cfg.kvHeads(), d)}, axis(0));
        flatShape = g.constantLongs("flat", -1, (long) cfg.heads() * d);
        String x;
        String head;
        switch (cfg.family()) {
            case GPT2 -> {
                String p = ckpt.contains("transformer.wte.weight") ? "transformer." : "";
                g.input("position_ids", OnnxGraph.INT64, "length");
                x = g.op("Add", new String[] {
                    g.op("Gather", new String[] {w.get(p + "wte.weight"), "input_ids"}),
                    g.op("Gather", new String[] {w.get(p + "wpe.weight"), "position_ids"})
                });
                x = flat(x);
                for (int i = 0; i < layers; i++) {
                    x = gpt2Block(x, p + "h." + i + ".", i);
                }
                x = layerNorm(x, w.get(p + "ln_f.weight"), w.get(p + "ln_f.bias"), cfg.normEps());
                head = p + "wte.weight";
            }
            case BLOOM -> {
                String p = ckpt.contains("transformer.word_embeddings.weight") ? "transformer." : "";
                x = flat(g.op("Gather", new String[] {w.get(p + "word_embeddings.weight"), "input_ids"}));
                x = layerNorm(
                        x,
                        w.get(p + "word_embeddings_layernorm.weight"),
                        w.get(p + "word_embeddings_layernorm.bias"),
                        cfg.normEps());
                for (int i = 0; i < layers; i++) {
                    x = bloomBlock(x, p + "h." + i + ".", i);
                }
                x = layerNorm(x, w.get(p + "ln_f.weight"), w.get(p + "ln_f.bias"), cfg.normEps());
                head = p + "word_embeddings.weight";
            }
            case LLAMA, OLMO, OLMO2 -> {
                g.input("rope_cos", OnnxGraph.FLOAT, "length", Integer.toString(d));
                g.input("rope_sin", OnnxGraph.FLOAT, "length", Integer.toString(d));
                String embed = "model.embed_tokens.weight";
                x = flat(g.op("Gather", new String[] {w.get(embed), "input_ids"}));
                for (int i = 0; i < layers; i++) {
                    x = llamaBlock(x, "model.layers." + i + ".", i);
                }
                x = llamaNorm(x, cfg.family() == Family.OLMO ? null : "model.norm.weight");
                boolean untied = !cfg.tieEmbeddings() && ckpt.contains("lm_head.weight");
                head = untied ? "lm_head.weight" : embed;
            }
            default -> throw new IllegalStateException("family " + cfg.family());
        }
        String rows = g.op("Gather", new String[] {x, "gather_rows"}, OnnxGraph.Attr.i("axis", 0));
        String logits = matmul("logits", rows, head, false, null);
        g.output(logits, OnnxGraph.FLOAT, "n", Integer.toString(cfg.vocab()));
    }

    private String gpt2Block(String x, String l, int layer) throws ModelException {
        String h = layerNorm(x, w.get(l + "ln_1.weight"), w.get(l + "ln_1.bias"), cfg.normEps());
        String qkv = conv1d(h, l + "attn.c_attn");
        long width = cfg.hidden();
        String q = slice(qkv, 0, width);
        String k = slice(qkv, width, 2 * width);
        String v = slice(qkv, 2 * width, 3 * width);
        x = add(x, conv1d(attention(q, k, v, layer, false), l + "attn.c_proj"));
        h = layerNorm(x, w.get(l + "ln_2.weight"), w.get(l + "ln_2.bias"), cfg.normEps());
        return add(x, conv1d(geluTanh(conv1d(h, l + "mlp.c_fc")), l + "mlp.c_proj"));
    }

    private String bloomBlock(String x, String l, int layer) throws ModelException {
        String h = layerNorm(x, w.get(l + "input_layernorm.weight"), w.get(l + "input_layernorm.bias"), cfg.normEps());
        String a = l + "self_attention.";
        // query_key_value is laid out [heads, 3, head_dim]: q, k, v interleaved per head
        String fused = g.op("Reshape", new String[] {
            linear(h, a + "query_key_value.weight", a + "query_key_value.bias"),
            g.constantLongs("qkv_dims", -1, cfg.heads(), 3, cfg.headDim())
        });
        String q = flatHeads(slice(fused, 2, 0, 1));
        String k = flatHeads(slice(fused, 2, 1, 2));
        String v = flatHeads(slice(fused, 2, 2, 3));
        x = add(x, linear(attention(q, k, v, layer, false), a + "dense.weight", a + "dense.bias"));
        h = layerNorm(
                x,
                w.get(l + "post_attention_layernorm.weight"),
                w.get(l + "post_attention_layernorm.bias"),
                cfg.normEps());
        String ff = geluTanh(linear(h, l + "mlp.dense_h_to_4h.weight", l + "mlp.dense_h_to_4h.bias"));
        return add(x, linear(ff, l + "mlp.dense_4h_to_h.weight", l + "mlp.dense_4h_to_h.bias"));
    }

    private String llamaBlock(String x, String l, int layer) throws ModelException {
        boolean post = cfg.family() == Family.OLMO2;
        String inNorm = post ? l + "post_attention_layernorm.weight" : l + "input_layernorm.weight";
        String outNorm = post ? l + "post_feedforward_layernorm.weight" : l + "post_attention_layernorm.weight";
        String a = l + "self_attn.";
        String h = post ? x : llamaNorm(x, inNorm);
        boolean ab = cfg.attentionBias();
        String q = linear(h, a + "q_proj.weight", ab ? a + "q_proj.bias" : null);
        String k = linear(h, a + "k_proj.weight", ab ? a + "k_proj.bias" : null);
        String v = linear(h, a + "v_proj.weight", ab ? a + "v_proj.bias" : null);
        if (cfg.clipQkv() > 0) {
            q = clip(q);
            k = clip(k);
            v = clip(v);
        }
        if (post) {
            q = rmsNorm(q, w.get(a + "q_norm.weight"));
            k = rmsNorm(k, w.get(a + "k_norm.weight"));
        }
        String attn = linear(
                attention(q, k, v, layer, true), a + "o_proj.weight", cfg.outputBias() ? a + "o_proj.bias" : null);
        x = add(x, post ? llamaNorm(attn, inNorm) : attn);
        String in = post ? x : llamaNorm(x, outNorm);
        boolean mb = cfg.mlpBias();
        String gate = linear(in, l + "mlp.gate_proj.weight", mb ? l + "mlp.gate_proj.bias" : null);
        String up = linear(in, l + "mlp.up_proj.weight", mb ? l + "mlp.up_proj.bias" : null);
        String silu = g.op("Mul", new String[] {gate, g.op("Sigmoid", new String[] {gate})});
        String ff = linear(
                g.op("Mul", new String[] {silu, up}), l + "mlp.down_proj.weight", mb ? l + "mlp.down_proj.bias" : null);
        return add(x, post ? llamaNorm(ff, outNorm) : ff);
    }

    /**
     * Causal self-attention with grouped-query sharing and the KV cache. q, k, v are [tokens, heads * d];
     * the query is laid out [batch, kvHeads, group, length, d] so each key/value head serves its group by
     * broadcasting (HF's {@code repeat_kv} without the copy). Returns the context [tokens, heads * d].
     */
    private String attention(String q, String k, String v, int layer, boolean rope) {
        String q5 = g.op(
                "Transpose",
                new String[] {g.op("Reshape", new String[] {q, qShape})},
                OnnxGraph.Attr.ints("perm", 0, 2, 3, 1, 4));
        String k4 = g.op(
                "Transpose",
                new String[] {g.op("Reshape", new String[] {k, kvShape})},
                OnnxGraph.Attr.ints("perm", 0, 2, 1, 3));
        String v4 = g.op(
                "Transpose",
                new String[] {g.op("Reshape", new String[] {v, kvShape})},
                OnnxGraph.Attr.ints("perm", 0, 2, 1, 3));
        if (rope) {
            q5 = rope(q5);
            k4 = rope(k4);
        }
        String scale = g.constantFloats("scale", new long[0], new float[] {1f / (float) Math.sqrt(cfg.headDim())});
        q5 = g.op("Mul", new String[] {q5, scale});
        // the Concat writes the graph output itself: a renaming Identity would copy the whole cache once more per
        // step (4 % of a batch-16 sampling step in ONNX Runtime's profile, as much as the Concat's own copy)
        String keys = g.opNamed("present_key_" + layer, "Concat", new String[] {"past_key_" + layer, k4}, axis(2));
        String values =
                g.opNamed("present_value_" + layer, "Concat", new String[] {"past_value_" + layer, v4}, axis(2));
        g.output(keys, OnnxGraph.FLOAT, kvDims());
        g.output(values, OnnxGraph.FLOAT, kvDims());
        String two = g.constantLongs("axis2", 2);
        String kT = g.op(
                "Transpose",
                new String[] {g.op("Unsqueeze", new String[] {"present_key_" + layer, two})},
                OnnxGraph.Attr.ints("perm", 0, 1, 2, 4, 3));
        String scores = g.op("Add", new String[] {g.op("MatMul", new String[] {q5, kT}), "attention_bias"});
        String probs = g.op("Softmax", new String[] {scores}, axis(-1));
        String ctx =
                g.op("MatMul", new String[] {probs, g.op("Unsqueeze", new String[] {"present_value_" + layer, two})});
        // [batch, kvHeads, group, length, d] -> [batch, length, heads * d] -> [tokens, heads * d]
        return flatHeads(g.op("Transpose", new String[] {ctx}, OnnxGraph.Attr.ints("perm", 0, 3, 1, 2, 4)));
    }

    private String[] kvDims() {
        return new String[] {"batch", Integer.toString(cfg.kvHeads()), "total", Integer.toString(cfg.headDim())};
    }

    /** HF rotate_half RoPE: x * cos + cat(-x2, x1) * sin over the last axis. */
    private String rope(String x) {
        int half = cfg.headDim() / 2;
        String x1 = slice(x, -1, 0, half);
        String x2 = slice(x, -1, half, 2L * half);
        String rotated = g.op("Concat", new String[] {g.op("Neg", new String[] {x2}), x1}, axis(-1));
        return add(g.op("Mul", new String[] {x, "rope_cos"}), g.op("Mul", new String[] {rotated, "rope_sin"}));
    }

    /** [batch, length, hidden] to [tokens, hidden]. */
    private String flat(String x) {
        return g.op("Reshape", new String[] {x, g.constantLongs("rows", -1, cfg.hidden())});
    }

    /** Any [tokens, ..] layout of all heads to [tokens, heads * d]. */
    private String flatHeads(String x) {
        return g.op("Reshape", new String[] {x, flatShape});
    }

    private String slice(String x, long start, long end) {
        return slice(x, 1, start, end);
    }

    private String slice(String x, long axis, long start, long end) {
        return g.op("Slice", new String[] {
            x, g.constantLongs("start", start), g.constantLongs("end", end), g.constantLongs("axes", axis)
        });
    }

    private String add(String a, String b) {
        return g.op("Add", new String[] {a, b});
    }

    /** nn.Linear: weight [out, in]. */
    private String linear(String x, String weight, String bias) throws ModelException {
        return matmul(null, x, weight, false, bias);
    }

    /** GPT-2's Conv1D: weight [in, out]. */
    private String conv1d(String x, String name) throws ModelException {
        return matmul(null, x, name + ".weight", true, name + ".bias");
    }

    /**
     * x [tokens, in] times checkpoint matrix {@code weight} ([out, in], or [in, out] when {@code transposed}) plus
     * {@code bias} (null: none), as a Gemm over the float32 weights or, in int8, a {@code MatMulNBits} over their
     * quantised blocks ({@link ExternalWeights#matMulNBits}). {@code out}: the output's name, null for a fresh one.
     */
    private String matmul(String out, String x, String weight, boolean transposed, String bias) throws ModelException {
        if (precision == Precision.INT8) {
            return w.matMulNBits(out, x, weight, transposed, bias, INT8_BLOCK);
        }
        String[] in = bias == null ? new String[] {x, w.get(weight)} : new String[] {x, w.get(weight), w.get(bias)};
        OnnxGraph.Attr[] attrs =
                transposed ? new OnnxGraph.Attr[0] : new OnnxGraph.Attr[] {OnnxGraph.Attr.i("transB", 1)};
        return out == null ? g.op("Gemm", in, attrs) : g.opNamed(out, "Gemm", in, attrs);
    }

    private String layerNorm(String x, String scale, String bias, float eps) {
        return g.op(
                "LayerNormalization",
                new String[] {x, scale, bias},
                OnnxGraph.Attr.i("axis", -1),
                OnnxGraph.Attr.f("epsilon", eps));
    }

    /** The Llama family's norm: RMSNorm with {@code weight}, or OLMo-1's LayerNorm without parameters (null). */
    private String llamaNorm(String x, String weight) throws ModelException {
        if (cfg.family() == Family.OLMO) {
            float[] ones = new float[cfg.hidden()];
            Arrays.fill(ones, 1f);
            long[] dims = {cfg.hidden()};
            return layerNorm(
                    x,
                    g.constantFloats("ones", dims, ones),
                    g.constantFloats("zeros", dims, new float[cfg.hidden()]),
                    OLMO_LN_EPS);
        }
        return rmsNorm(x, w.get(weight));
    }

    /** x / sqrt(mean(x^2) + eps) * w, as the libtorch forward computes it. */
    private String rmsNorm(String x, String weight) {
        String ms = g.op(
                "ReduceMean",
                new String[] {g.op("Mul", new String[] {x, x})},
                OnnxGraph.Attr.ints("axes", -1),
                OnnxGraph.Attr.i("keepdims", 1));
        String eps = g.constantFloats("eps", new long[0], new float[] {cfg.normEps()});
        String rms = g.op("Sqrt", new String[] {add(ms, eps)});
        return g.op("Mul", new String[] {g.op("Div", new String[] {x, rms}), weight});
    }

    private String clip(String x) {
        float c = cfg.clipQkv();
        return g.op("Clip", new String[] {
            x,
            g.constantFloats("clip_lo", new long[0], new float[] {-c}),
            g.constantFloats("clip_hi", new long[0], new float[] {c})
        });
    }

    /**
     * The tanh GELU ({@code gelu_new}, BLOOM's {@code bloom_gelu_forward}) as ONNX Runtime's {@code FastGelu}: the
     * same formula in one kernel (spelled out in standard ops it cost 10 % of a GPT-2 run in element-wise nodes);
     * the parity tests hold it to the libtorch and transformers logits.
     */
    private String geluTanh(String x) {
        return g.contrib("FastGelu", new String[] {x});
    }

    private static OnnxGraph.Attr axis(long a) {
        return OnnxGraph.Attr.i("axis", a);
    }
}
