package org.unmask.core.model;

import org.unmask.core.error.ModelException;
import org.unmask.core.request.GenerationRequest;

/** A causal model that can sample continuations (with a KV cache, so generation is not quadratic). */
public interface TextGenerator extends TokenScorer {
    String generate(GenerationRequest request) throws ModelException;
}
