package org.unmask.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.testing.Mutations;

/**
 * Seeded mutations of the chat templates of the fixtures (ChatML, Llama 2, Llama 3, Zephyr): rendering either returns
 * text within the output limit or throws one {@link InvalidInputException}, never another exception, never a hang.
 */
class ChatTemplateFuzzTest {
    private static final ChatTemplate.Limits LIMITS = new ChatTemplate.Limits(1 << 16, Duration.ofMillis(500));
    private static final List<List<ChatMessage>> CONVERSATIONS = List.of(
            List.of(ChatMessage.user("Hi")),
            List.of(
                    ChatMessage.system("Be brief."),
                    ChatMessage.user("Who is a nurse?"),
                    new ChatMessage("assistant", "A person."),
                    ChatMessage.user("{{ 7 * 7 }} {% if %}")));

    static List<byte[]> seeds() throws IOException, URISyntaxException {
        List<byte[]> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (Path folder : ChatTemplateParityTest.folders()) {
            JsonNode t = json.readTree(folder.resolve("tokenizer_config.json").toFile())
                    .path("chat_template");
            if (t.isTextual()) {
                out.add(t.asText().getBytes(StandardCharsets.UTF_8));
            }
            for (JsonNode named : t.isArray() ? t : json.createArrayNode()) {
                out.add(named.path("template").asText().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void mutatedTemplatesRenderOrFailWithOneCleanError() throws IOException, URISyntaxException {
        List<byte[]> seeds = seeds();
        assertTrue(seeds.size() >= 4, "the chat fixtures' templates");
        Map<String, String> specials = Map.of("bos_token", "<s>", "eos_token", "</s>");
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(
                Duration.ofSeconds(120),
                () -> new Mutations(20241129L, seeds).forEach(2000, input -> {
                    String source = new String(input, StandardCharsets.UTF_8);
                    ChatTemplate t = ChatTemplate.of(source, "fuzz.jinja", specials, LIMITS);
                    // one conversation per mutation, in turn: each rendering parses the template again
                    List<ChatMessage> c = CONVERSATIONS.get((outcomes[0] + outcomes[1]) % CONVERSATIONS.size());
                    outcomes[render(t, c) ? 0 : 1]++;
                }));
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "rendered " + outcomes[0] + ", rejected " + outcomes[1]);
    }

    /** Whether the template rendered; a clean rejection returns false; anything else fails the test. */
    private static boolean render(ChatTemplate t, List<ChatMessage> conversation) {
        try {
            String text = t.render(conversation, true);
            assertTrue(text.length() <= LIMITS.maxOutputChars(), "output over the limit: " + text.length());
            return true;
        } catch (InvalidInputException e) {
            assertFalse(e.getMessage().isBlank(), "a message");
            return false;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("unclean failure: " + e, e);
        }
    }
}
