package org.unmask.core.model;

import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.request.GenerationRequest;

/** A causal model that can sample continuations (with a KV cache, so generation is not quadratic). */
public interface TextGenerator extends TokenScorer {
    /**
     * Samples a continuation of the prompt and returns the new text.
     *
     * @throws InvalidInputException when the prompt cannot be used (e.g. longer than the context window)
     */
    String generate(GenerationRequest request) throws ModelException, InvalidInputException;
}
