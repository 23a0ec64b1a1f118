package org.unmask.core.archfixture;

import ai.djl.ndarray.NDArray;
import org.unmask.models.ModelLoader;

/**
 * A deliberate layering violation for {@code ArchitectureTest}: a class in core's package that reaches outward to
 * models and touches a tensor. The test checks that the rules reject it; it is never part of a main artefact.
 */
public final class CoreThatLoadsAModel {
    private CoreThatLoadsAModel() {}

    /** Names both forbidden types so the compiled class depends on them. */
    public static String violations(NDArray tensor) {
        return ModelLoader.class.getName() + tensor;
    }
}
