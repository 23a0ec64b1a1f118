package org.unmask.core.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Identity and provenance of a loaded model: what it is, where it came from and the hashes that
 * make a result reproducible.
 *
 * @param id the reference the user gave, resolved (e.g. {@code bert-base-uncased})
 * @param architecture the HF architecture name from {@code config.json} (e.g. {@code BertForMaskedLM})
 * @param kind what the model can be asked
 * @param location the local folder in Hugging Face layout the weights were read from
 * @param weightsSha256 SHA-256 of the weight file(s); for sharded checkpoints, of the index plus shards
 * @param tokenizerSha256 SHA-256 of {@code tokenizer.json}
 * @param backend engine and version that runs it (e.g. {@code djl-pytorch 0.35.1 / libtorch 2.7.1 cpu})
 * @param maxLength the longest input in tokens, special tokens included
 * @param lineage free-form provenance, e.g. {@code source} and, for a mitigated model, {@code parent}
 */
public record ModelInfo(
        String id,
        String architecture,
        ModelKind kind,
        Path location,
        String weightsSha256,
        String tokenizerSha256,
        String backend,
        int maxLength,
        Map<String, String> lineage) {
    public ModelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        lineage = Map.copyOf(lineage);
    }

    /** Short fingerprint used to key caches: the first 16 hex digits of the weights hash. */
    public String fingerprint() {
        return weightsSha256.length() > 16 ? weightsSha256.substring(0, 16) : weightsSha256;
    }
}
