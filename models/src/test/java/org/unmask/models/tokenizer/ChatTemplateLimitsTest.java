package org.unmask.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.request.ChatMessage;

/**
 * Chat templates come with model folders and are programs (issue 14, item 9): one that loops for ever or writes
 * gigabytes fails with a clear error naming the template and the limit, instead of hanging or running out of memory.
 */
class ChatTemplateLimitsTest {
    private static final List<ChatMessage> HI = List.of(ChatMessage.user("Hi"));
    private static final String NESTED_LOOPS = "{% for a in range(1000) %}{% for b in range(1000) %}"
            + "{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}";
    private static final String TEN_GIGABYTES =
            "{% for a in range(1000) %}{% for b in range(1000) %}" + "x".repeat(10_000) + "{% endfor %}{% endfor %}";

    private static InvalidInputException fails(ChatTemplate t) {
        return assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> assertThrows(InvalidInputException.class, () -> t.render(HI, true)));
    }

    @Test
    void nestedLoopsStopAtTheRenderTimeLimit() {
        ChatTemplate t = ChatTemplate.of(
                NESTED_LOOPS, "loops.jinja", Map.of(), new ChatTemplate.Limits(1 << 20, Duration.ofMillis(300)));
        InvalidInputException e = fails(t);
        assertEquals("loops.jinja: the chat template ran longer than the render time limit of 0.3 s", e.getMessage());
        assertTrue(e.hint().contains("range()"), e.hint());
    }

    @Test
    void hugeOutputStopsAtTheOutputLimitOfTheDefaults() {
        InvalidInputException e =
                fails(ChatTemplate.of(TEN_GIGABYTES, "big.jinja", Map.of(), ChatTemplate.Limits.DEFAULT));
        assertTrue(e.getMessage().startsWith("big.jinja: the chat template's output"), e.getMessage());
        assertTrue(e.getMessage().contains("exceeds the limit of " + (4 << 20) + " characters"), e.getMessage());
    }

    @Test
    void aHugeStringIsStoppedBeforeItIsBuilt() {
        String doubling = "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
                + "{% endfor %}{{ ns.s|length }}";
        InvalidInputException e = fails(ChatTemplate.of(doubling, "s.jinja", Map.of(), ChatTemplate.Limits.DEFAULT));
        assertTrue(
                e.getMessage()
                        .startsWith("s.jinja: the chat template's output (or a string or list it builds) "
                                + "exceeds the limit"),
                e.getMessage());
    }

    @Test
    void anOrdinaryTemplateRendersUnderTheLimits() throws InvalidInputException {
        ChatTemplate t = ChatTemplate.of(
                "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"
                        + "{% if add_generation_prompt %}<|assistant|>{% endif %}",
                "ok.jinja", Map.of(), new ChatTemplate.Limits(100, Duration.ofSeconds(10)));
        assertEquals("<|user|>Hi<|assistant|>", t.render(HI, true));
    }

    @Test
    void theTemplatesFileIsNamedWhenItComesFromAModelFolder(@TempDir Path dir) throws Exception {
        Path gpt2 = Path.of(ChatTemplateLimitsTest.class
                .getClassLoader()
                .getResource("fixtures/gpt2")
                .toURI());
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(gpt2.resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("chat_template.jinja"), TEN_GIGABYTES);
        try (HfTokenizer tok = HfTokenizer.load(dir)) {
            InvalidInputException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(60),
                    () -> assertThrows(InvalidInputException.class, () -> tok.applyChatTemplate(HI, true)));
            assertTrue(e.getMessage().startsWith(dir.resolve("chat_template.jinja") + ": "), e.getMessage());
        }
    }
}
