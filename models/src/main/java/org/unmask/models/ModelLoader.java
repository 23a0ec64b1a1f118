package org.unmask.models;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.djl.Weights;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertFamily;
import org.unmask.models.djl.bert.BertMaskedLm;
import org.unmask.models.djl.bert.BertShapes;
import org.unmask.models.djl.causal.CausalLmLoader;
import org.unmask.models.djl.causal.DecoderConfig;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.onnxgen.BertOnnxExport;
import org.unmask.models.onnxgen.DecoderOnnxExport;
import org.unmask.models.onnxgen.GraphExport;
import org.unmask.models.onnxgen.OrtBertMaskedLm;
import org.unmask.models.onnxgen.OrtCausalLm;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.source.ModelResolver;
import org.unmask.models.source.ResolvedModel;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * Loads a model from a reference: resolves it to a folder in Hugging Face layout, reads its
 * config, tokenizer and weights, and picks the architecture. The one entry point front doors use.
 */
public final class ModelLoader {
    /** Architectures this build can run, as named in {@code config.json}. */
    public static final List<String> SUPPORTED = Stream.concat(
                    Stream.of(
                            "BertForMaskedLM",
                            "BertModel",
                            "RobertaForMaskedLM",
                            "RobertaModel",
                            "DistilBertForMaskedLM",
                            "DistilBertModel"),
                    DecoderConfig.ARCHITECTURES.stream())
            .toList();

    private ModelLoader() {}

    /** Where derived files (converted checkpoints, ONNX exports) go: {@code $UNMASK_CACHE} or ~/.cache/unmask. */
    public static Path cacheRoot() {
        return ModelResolver.defaultUnmaskCache();
    }

    /**
     * Loads a model.
     *
     * @param ref a folder, a hub id found in the HF cache, or null/empty for the embedded default
     *     (bert-base-uncased)
     */
    public static LanguageModel load(String ref) throws ModelException {
        return load(ref, Backend.AUTO);
    }

    /** Loads a model on the given backend. */
    public static LanguageModel load(String ref, Backend backend) throws ModelException {
        ResolvedModel resolved = new ModelResolver().resolve(ref);
        return load(resolved.id(), resolved.dir(), Map.of("source", resolved.source()), backend);
    }

    /**
     * Loads a model on the given backend with its weights held in {@code precision}: any precision for a causal LM;
     * fp32 or int8 (ONNX Runtime only) for a masked LM, where anything else is refused as a model error.
     */
    public static LanguageModel load(String ref, Backend backend, Precision precision) throws ModelException {
        ResolvedModel resolved = new ModelResolver().resolve(ref);
        return load(
                resolved.id(), resolved.dir(), Map.of("source", resolved.source()), backend, cacheRoot(), precision);
    }

    /** Loads the model in {@code dir} (Hugging Face layout) under the given id. */
    public static LanguageModel load(String id, Path dir, Map<String, String> lineage, Backend backend)
            throws ModelException {
        return load(id, dir, lineage, backend, cacheRoot());
    }

    /**
     * As {@link #load(String, Path, Map, Backend)}, with derived files (the ONNX export) kept under
     * {@code cacheRoot}. The config is validated and checked against the checkpoint's tensor shapes, and the
     * tokenizer's ids against the vocabulary, before any backend sees them.
     */
    public static LanguageModel load(String id, Path dir, Map<String, String> lineage, Backend backend, Path cacheRoot)
            throws ModelException {
        return load(id, dir, lineage, backend, cacheRoot, Precision.FP32);
    }

    /**
     * As {@link #load(String, Path, Map, Backend, Path)}, with the weights held in {@code precision}: any for a causal
     * LM; fp32 or int8 ({@link BertOnnxExport}, ONNX Runtime only) for a masked LM, where int8's error bounds against
     * fp32 join the provenance ({@link Precision#withMaskedProvenance}).
     */
    public static LanguageModel load(
            String id, Path dir, Map<String, String> lineage, Backend backend, Path cacheRoot, Precision precision)
            throws ModelException {
        ModelConfig config = ModelConfig.read(dir);
        String arch = config.architecture();
        if (CausalLmLoader.handles(config)) {
            if (backend.forCausal() != Backend.ONNX) {
                return CausalLmLoader.load(id, dir, config, lineage, precision);
            }
            if (precision == Precision.INT8) {
                // ONNX Runtime's packed int8 plus float32 embeddings need ≈ 1.9 bytes a weight at the first load,
                // libtorch's int8 about 1: where the first does not fit, auto runs libtorch's int8 and an explicit
                // onnx is refused in one line, never killed mid-load
                String shortfall = OrtCausalLm.int8MemoryShortfall(dir);
                if (shortfall != null && backend == Backend.AUTO) {
                    return CausalLmLoader.load(id, dir, config, lineage, precision);
                }
                if (shortfall != null) {
                    throw new ModelException(
                            shortfall,
                            "use --backend torch (libtorch's int8, about 1 byte a weight) or --precision bf16");
                }
            }
            OrtCausalLm ort = OrtCausalLm.loadIfSupported(id, dir, config, lineage, cacheRoot, precision);
            if (ort != null) {
                return ort;
            }
            // the ONNX Runtime decoder runs fp32 over float32 checkpoints and int8 over float32/float16/bfloat16 ones:
            // libtorch runs the rest; when onnx was asked for by name the provenance says why the engine is not the
            // one asked for (under auto, libtorch is simply the engine for these, as it always was)
            if (backend == Backend.AUTO) {
                return CausalLmLoader.load(id, dir, config, lineage, precision);
            }
            Map<String, String> noted = new LinkedHashMap<>(lineage);
            noted.put(
                    "backend.fallback",
                    "onnx asked; the ONNX Runtime decoder runs fp32 over float32 checkpoints and int8 over float32,"
                            + " float16 and bfloat16 ones, so libtorch ran"
                            + (DecoderOnnxExport.supports(precision)
                                    ? " this checkpoint"
                                    : " --precision " + precision.label()));
            return CausalLmLoader.load(id, dir, config, noted, precision);
        }
        if (precision != Precision.FP32
                && !(BertOnnxExport.supports(precision) && backend.forMasked() == Backend.ONNX)) {
            // int8 masked LMs are an ONNX Runtime graph (DynamicQuantizeMatMul); libtorch holds BERT in fp32 only
            throw new ModelException(
                    id + " is a masked LM; --precision " + precision.label() + " is not available for it on "
                            + (backend.forMasked() == Backend.TORCH ? "libtorch" : "ONNX Runtime"),
                    BertOnnxExport.supports(precision)
                            ? "use --backend onnx (or auto) for int8, or drop --precision"
                            : "masked LMs run in fp32, or int8 on ONNX Runtime; drop --precision or use int8");
        }
        if (BertFamily.of(config).isEmpty() || !(SUPPORTED.contains(arch) || arch.equals(config.modelType()))) {
            throw new ModelException(
                    config.file() + ": architecture \"" + arch + "\" is not supported",
                    "supported architectures: " + String.join(", ", SUPPORTED));
        }
        BertConfig cfg = BertConfig.from(config);
        try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
            BertShapes.check(config, cfg, checkpoint);
        }
        HfTokenizer tokenizer = HfTokenizer.load(dir, cfg.vocab());
        Map<String, String> lin = new LinkedHashMap<>(lineage);
        try {
            String weightsSha = FileHashes.weightsSha256(dir);
            String tokenizerSha = FileHashes.sha256(dir.resolve("tokenizer.json"));
            if (backend.forMasked() == Backend.ONNX) {
                try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
                    GraphExport onnx = BertOnnxExport.exportGraph(checkpoint, cfg, weightsSha, cacheRoot, precision);
                    ModelInfo info = new ModelInfo(
                            id,
                            arch,
                            ModelKind.MASKED_LM,
                            dir,
                            weightsSha,
                            tokenizerSha,
                            "onnxruntime "
                                    + org.unmask.models.onnx.OrtRuntime.environment()
                                            .getVersion() + " cpu"
                                    + (precision == Precision.FP32
                                            ? ""
                                            : ", int8 (DynamicQuantizeMatMul per column; feed-forward output"
                                                    + " MatMulNBits blocks of " + BertOnnxExport.FFN_OUT_BLOCK
                                                    + "), " + precision.describeMasked()),
                            cfg.maxTokens(),
                            precision.withMaskedProvenance(lin));
                    return new OrtBertMaskedLm(info, tokenizer, cfg, onnx);
                }
            }
            ModelInfo info = new ModelInfo(
                    id,
                    arch,
                    ModelKind.MASKED_LM,
                    dir,
                    weightsSha,
                    tokenizerSha,
                    DjlRuntime.describe(),
                    cfg.maxTokens(),
                    lin);
            NDManager manager = DjlRuntime.newManager();
            try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
                Weights weights = Weights.load(manager, checkpoint);
                return new BertMaskedLm(info, tokenizer, manager, weights, cfg);
            } catch (ModelException | RuntimeException e) {
                manager.close();
                throw e;
            }
        } catch (ModelException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }
}
