package org.unmask.app;

import org.unmask.core.error.ModelException;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.Precision;

/** Opens a model by reference (folder, hub id, or null for the embedded default); tests give scripted models. */
@FunctionalInterface
public interface ModelOpener {
    /** The real one: {@link ModelLoader#load(String, Backend, Precision)}. */
    ModelOpener LOADER = new ModelOpener() {
        @Override
        public LanguageModel open(String ref, Backend backend) throws ModelException {
            return ModelLoader.load(ref, backend);
        }

        @Override
        public LanguageModel open(String ref, Backend backend, Precision precision) throws ModelException {
            return ModelLoader.load(ref, backend, precision);
        }
    };

    LanguageModel open(String ref, Backend backend) throws ModelException;

    /**
     * Opens with a causal LM's weights held in {@code precision}. Openers that have no precisions (scripted models
     * in tests) open as {@link #open(String, Backend)} does.
     */
    default LanguageModel open(String ref, Backend backend, Precision precision) throws ModelException {
        return open(ref, backend);
    }
}
