package org.unmask.models.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model located on disk as a Hugging Face folder ({@code config.json}, weights, tokenizer files).
 *
 * @param id     the model's name: the hub id ({@code bert-base-uncased}, {@code org/name}) or, for an explicit
 *               path, the folder name
 * @param dir    absolute path of the folder
 * @param source how it was found: {@value ModelResolver#SOURCE_PATH}, {@value ModelResolver#SOURCE_HF_CACHE}
 *               (with {@code @<revision>}) or {@value ModelResolver#SOURCE_EMBEDDED}
 */
public record ResolvedModel(String id, Path dir, String source) {
    public ResolvedModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(source, "source");
    }
}
