package org.unmask.core.request;

import java.util.List;
import java.util.Objects;

/**
 * Causal LM with a chat template: log-likelihood of {@code answer} as the start of the assistant's reply to
 * {@code messages}, token by token. The conversation is rendered with the model's chat template and the generation
 * prompt ({@code add_generation_prompt=True}), tokenised without adding special tokens again (as
 * {@code apply_chat_template(tokenize=True)}), and the answer is scored as the template writes the start of an
 * assistant turn (transformers' {@code continue_final_message}: e.g. with the space Llama-2 templates put before a
 * reply), or verbatim after the prompt when the template writes turns some other way.
 *
 * @param messages the conversation so far (usually one user question, optionally after a system message)
 * @param answer the reply to score, e.g. {@code "woman"}
 */
public record ChatContinuationRequest(List<ChatMessage> messages, String answer)
        implements ModelRequest<TokenLogProbs> {
    public ChatContinuationRequest {
        messages = List.copyOf(messages);
        Objects.requireNonNull(answer, "answer");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
    }
}
