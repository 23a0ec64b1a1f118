package org.unmask.app;

import org.unmask.core.error.ModelException;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;

/** Opens a model by reference (folder, hub id, or null for the embedded default); tests give scripted models. */
@FunctionalInterface
public interface ModelOpener {
    /** The real one: {@link ModelLoader#load(String, Backend)}. */
    ModelOpener LOADER = ModelLoader::load;

    LanguageModel open(String ref, Backend backend) throws ModelException;
}
