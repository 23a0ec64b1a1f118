package org.unmask.core.model;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * Answers many generation requests, in order, each exactly as {@link #generate} would. Models may
     * batch them (e.g. N samples of one prompt share its forward pass and run as one batch).
     */
    default List<String> generateAll(List<GenerationRequest> requests) throws ModelException, InvalidInputException {
        List<String> out = new ArrayList<>(requests.size());
        for (GenerationRequest r : requests) {
            out.add(generate(r));
        }
        return out;
    }

    /**
     * Samples once per request of {@code samples} after a prompt given as ids, e.g. a chat-templated conversation
     * whose special tokens are already in place; the requests' own prompts are not used. Returns the new texts, in
     * order.
     *
     * @throws InvalidInputException when the model cannot take ids or the prompt is longer than its window
     */
    default List<String> generateFromIds(int[] prompt, List<GenerationRequest> samples)
            throws ModelException, InvalidInputException {
        throw new InvalidInputException(
                info().id() + " cannot continue a prompt given as token ids",
                "use a causal language model loaded by Unmask");
    }
}
