package org.unmask.models;

import java.nio.file.Files;
import java.nio.file.Path;
import org.unmask.core.error.ModelException;

/** Temporary resolution (explicit folder, or the converted default in the cache) until the resolver lands. */
final class ModelSources {
    private ModelSources() {}

    static ResolvedModel resolve(String ref) throws ModelException {
        if (ref != null && !ref.isBlank() && Files.isDirectory(Path.of(ref))) {
            return new ResolvedModel(ref, Path.of(ref), "path");
        }
        if (ref == null || ref.isBlank() || ref.equals("bert-base-uncased") || ref.equals("google-bert/bert-base-uncased")) {
            String cache = System.getenv("UNMASK_CACHE");
            Path root = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "unmask");
            return new ResolvedModel("bert-base-uncased", root.resolve("models/bert-base-uncased"), "embedded");
        }
        throw new ModelException("unknown model \"" + ref + "\"", "give a folder in Hugging Face layout");
    }
}
