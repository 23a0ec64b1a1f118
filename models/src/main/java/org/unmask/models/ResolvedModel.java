package org.unmask.models;

import java.nio.file.Path;

/**
 * A model reference resolved to a local folder in Hugging Face layout.
 *
 * @param id the canonical id (e.g. {@code bert-base-uncased})
 * @param dir the folder holding config.json, tokenizer.json and the weights
 * @param source how it was found: {@code path}, {@code hf-cache} or {@code embedded}
 */
public record ResolvedModel(String id, Path dir, String source) {}
