package org.unmask.core.request;

import java.util.List;

/**
 * Causal LM with a chat template: sample the assistant's reply to {@code messages}. The conversation is rendered
 * with the model's chat template and the generation prompt, and fed as is (its special tokens are not added
 * twice). Sampling settings mean what they mean in {@link GenerationRequest}.
 *
 * @param messages the conversation so far
 * @param settings how to sample; its prompt is unused (the conversation is the prompt)
 */
public record ChatGenerationRequest(List<ChatMessage> messages, GenerationRequest settings)
        implements ModelRequest<String> {
    public ChatGenerationRequest {
        messages = List.copyOf(messages);
        java.util.Objects.requireNonNull(settings, "settings");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
    }

    /** A reply to {@code messages} sampled as {@code maxNewTokens}, {@code temperature}... say. */
    public static ChatGenerationRequest of(
            List<ChatMessage> messages, int maxNewTokens, double temperature, int topK, double topP, long seed) {
        return new ChatGenerationRequest(
                messages, new GenerationRequest("", maxNewTokens, temperature, topK, topP, seed));
    }
}
