package org.unmask.core.request;

import java.util.Objects;

/**
 * One turn of a conversation, as Hugging Face chat templates receive it ({@code {"role": ..., "content": ...}}).
 *
 * @param role {@code system}, {@code user} or {@code assistant} (templates decide which they accept)
 * @param content the text of the turn
 */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role.isBlank()) {
            throw new IllegalArgumentException("a chat message needs a role");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }
}
