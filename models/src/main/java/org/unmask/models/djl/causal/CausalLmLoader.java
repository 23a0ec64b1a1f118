package org.unmask.models.djl.causal;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.models.Precision;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.djl.Weights;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.tokenizer.HfTokenizer;

/** Builds a {@link CausalLm} from a folder in Hugging Face layout (config.json, tokenizer.json, safetensors). */
public final class CausalLmLoader {
    private CausalLmLoader() {}

    /** Whether {@code config.json}'s architecture is one this package runs. */
    public static boolean handles(ModelConfig config) {
        return DecoderConfig.familyOf(config.architecture()) != null;
    }

    /**
     * Reads the decoder config of {@code dir} and checks it against the checkpoint's tensor shapes, as
     * {@link #load} does before any engine sees the weights (for engines other than libtorch).
     */
    public static DecoderConfig checkedConfig(Path dir, ModelConfig config) throws ModelException {
        DecoderConfig cfg = DecoderConfig.from(config);
        try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
            DecoderShapes.check(config, cfg, checkpoint);
        }
        return cfg;
    }

    /** Loads the causal LM in {@code dir} on libtorch; weights are memory-mapped and copied once into native memory. */
    public static CausalLm load(String id, Path dir, ModelConfig config, Map<String, String> lineage)
            throws ModelException {
        return load(id, dir, config, lineage, Precision.FP32);
    }

    /**
     * As {@link #load(String, Path, ModelConfig, Map)}, with the weight matrices held in {@code precision}; a
     * reduced precision is named, with its checked error against fp32, in the backend and lineage provenance.
     */
    public static CausalLm load(
            String id, Path dir, ModelConfig config, Map<String, String> lineage, Precision precision)
            throws ModelException {
        DecoderConfig cfg = DecoderConfig.from(config);
        try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
            DecoderShapes.check(config, cfg, checkpoint); // before gigabytes are copied into native memory
        }
        String weightsSha = FileHashes.weightsSha256(dir);
        String tokenizerSha = FileHashes.sha256(dir.resolve("tokenizer.json"));
        HfTokenizer tokenizer = HfTokenizer.load(dir, cfg.vocab());
        NDManager manager = DjlRuntime.newManager();
        try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
            ModelInfo info = new ModelInfo(
                    id,
                    config.architecture(),
                    ModelKind.CAUSAL_LM,
                    dir,
                    weightsSha,
                    tokenizerSha,
                    precision == Precision.FP32
                            ? DjlRuntime.describe()
                            : DjlRuntime.describe() + ", " + precision.describe(),
                    cfg.maxPositions(),
                    precision.withProvenance(lineage));
            Weights weights = Weights.load(
                    manager,
                    checkpoint,
                    precision,
                    cfg.family() == DecoderConfig.Family.GPT2 ? Gpt2Forward::columnChannels : name -> false);
            return new CausalLm(info, tokenizer, manager, cfg, forward(weights, cfg, manager), precision);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
    }

    static DecoderForward forward(Weights w, DecoderConfig cfg, NDManager manager) throws ModelException {
        return switch (cfg.family()) {
            case GPT2 -> new Gpt2Forward(w, cfg);
            case LLAMA, OLMO, OLMO2 -> new LlamaForward(w, cfg, manager);
            case BLOOM -> new BloomForward(w, cfg);
        };
    }
}
