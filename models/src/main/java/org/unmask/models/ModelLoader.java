package org.unmask.models;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.djl.Weights;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertMaskedLm;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * Loads a model from a reference: resolves it to a folder in Hugging Face layout, reads its
 * config, tokenizer and weights, and picks the architecture. The one entry point front doors use.
 */
public final class ModelLoader {
    /** Architectures this build can run, as named in {@code config.json}. */
    public static final List<String> SUPPORTED = List.of("BertForMaskedLM", "BertModel");

    private ModelLoader() {}

    /**
     * Loads a model.
     *
     * @param ref a folder, a hub id found in the HF cache, or null/empty for the embedded default
     *     (bert-base-uncased)
     */
    public static LanguageModel load(String ref) throws ModelException {
        ResolvedModel resolved = ModelSources.resolve(ref);
        return load(resolved.id(), resolved.dir(), Map.of("source", resolved.source()));
    }

    /** Loads the model in {@code dir} (Hugging Face layout) under the given id. */
    public static LanguageModel load(String id, Path dir, Map<String, String> lineage) throws ModelException {
        ModelConfig config = ModelConfig.read(dir);
        String arch = config.architecture();
        boolean bert = arch.startsWith("Bert") || config.modelType().equals("bert");
        if (!bert || !(arch.equals("BertForMaskedLM") || arch.equals("BertModel") || arch.equals("bert"))) {
            throw new ModelException(config.file() + ": architecture \"" + arch + "\" is not supported",
                    "supported architectures: " + String.join(", ", SUPPORTED));
        }
        Path weightsFile = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(weightsFile)) {
            throw new ModelException("no model.safetensors in " + dir,
                    "convert the checkpoint to safetensors (save_pretrained(dir, safe_serialization=True))");
        }
        BertConfig cfg = BertConfig.from(config);
        HfTokenizer tokenizer = HfTokenizer.load(dir);
        Map<String, String> lin = new LinkedHashMap<>(lineage);
        ModelInfo info = new ModelInfo(id, arch, ModelKind.MASKED_LM, dir, FileHashes.sha256(weightsFile),
                FileHashes.sha256(dir.resolve("tokenizer.json")), DjlRuntime.describe(), cfg.maxPositions(), lin);
        NDManager manager = DjlRuntime.newManager();
        try {
            Weights weights = Weights.load(manager, weightsFile);
            return new BertMaskedLm(info, tokenizer, manager, weights, cfg);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
    }
}
