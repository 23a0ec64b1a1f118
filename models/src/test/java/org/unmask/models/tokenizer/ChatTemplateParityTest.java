package org.unmask.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.ChatMessage;
import org.unmask.models.fixtures.HfFixtures;

/**
 * Chat templates render and tokenise exactly as transformers' {@code apply_chat_template}: for every folder under
 * {@code chat-fixtures/} (written by {@code tools/fixtures/make_chat_fixtures.py}), the same text and the same ids,
 * with and without the generation prompt, and the same error where the template raises one.
 */
class ChatTemplateParityTest {
    static List<Path> folders() throws IOException, URISyntaxException {
        URL root = ChatTemplateParityTest.class.getClassLoader().getResource("chat-fixtures");
        List<Path> out = new ArrayList<>();
        if (root != null) {
            try (Stream<Path> s = Files.list(Path.of(root.toURI()))) {
                s.filter(p -> Files.isRegularFile(p.resolve("reference.json")))
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }

    static Path fixture(String name) throws IOException, URISyntaxException {
        return folders().stream()
                .filter(p -> p.getFileName().toString().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @TestFactory
    Stream<DynamicTest> everyChatFixtureRendersAndTokenisesAsTransformers() throws IOException, URISyntaxException {
        List<Path> folders = folders();
        if (folders.size() < 4) {
            return Stream.of(
                    DynamicTest.dynamicTest(
                            "no fixtures",
                            () -> fail(
                                    "chat fixtures missing: run "
                                            + "python tools/fixtures/make_chat_fixtures.py --out models/src/test/resources/chat-fixtures")));
        }
        return folders.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    static List<ChatMessage> messages(JsonNode a) {
        List<ChatMessage> out = new ArrayList<>();
        a.forEach(m -> out.add(
                new ChatMessage(m.path("role").asText(), m.path("content").asText())));
        return out;
    }

    static void check(Path folder) throws IOException, UnmaskException {
        JsonNode ref = HfFixtures.reference(folder);
        int n = 0;
        try (HfTokenizer tok = HfTokenizer.load(folder)) {
            for (JsonNode c : ref.path("cases")) {
                String what =
                        folder.getFileName() + "/" + c.path("conversation").asText() + " gen="
                                + c.path("add_generation_prompt").asBoolean();
                String text = tok.applyChatTemplate(
                        messages(c.path("messages")),
                        c.path("add_generation_prompt").asBoolean());
                assertEquals(c.path("text").asText(), text, what);
                assertArrayEquals(
                        HfFixtures.ints(c.path("ids")),
                        tok.encodeWithoutSpecials(text).ids(),
                        what);
                n++;
            }
            for (JsonNode e : ref.path("errors")) {
                InvalidInputException x = assertThrows(
                        InvalidInputException.class, () -> tok.applyChatTemplate(messages(e.path("messages")), false));
                assertTrue(x.getMessage().endsWith(e.path("message").asText()), x.getMessage());
            }
        }
        System.out.printf(
                "chat template parity %s (transformers %s): %d renderings, identical text and ids%n",
                folder.getFileName(), ref.path("transformers").asText(), n);
    }

    @Test
    void aTemplateThatWritesBosIsNotGivenASecondOne() throws Exception {
        try (HfTokenizer tok = HfTokenizer.load(fixture("llama2"))) {
            String text = tok.applyChatTemplate(List.of(ChatMessage.user("Hello")), true);
            assertTrue(text.startsWith("<s>[INST]"), text);
            int[] ids = tok.encodeWithoutSpecials(text).ids();
            int bos = tok.beginOfTextId().getAsInt();
            assertEquals(bos, ids[0]);
            assertTrue(ids[1] != bos, "a second BOS");
            // encode() would have added the tokenizer's own <s> in front of the template's
            assertEquals(bos, tok.encode(text).ids()[1]);
        }
    }

    @Test
    void badRoleOrderRaisesTheTemplatesOwnMessage() throws Exception {
        try (HfTokenizer tok = HfTokenizer.load(fixture("llama2"))) {
            InvalidInputException e = assertThrows(
                    InvalidInputException.class,
                    () -> tok.applyChatTemplate(List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
            assertEquals(
                    "the model's chat template rejects this conversation: Conversation roles must alternate "
                            + "user/assistant/user/assistant/...",
                    e.getMessage());
        }
    }

    @Test
    void aBaseModelWithoutTemplateIsToldSoWithTheFix() throws Exception {
        Path gpt2 = Path.of(ChatTemplateParityTest.class
                .getClassLoader()
                .getResource("fixtures/gpt2")
                .toURI());
        try (HfTokenizer tok = HfTokenizer.load(gpt2)) {
            assertFalse(tok.hasChatTemplate());
            InvalidInputException e = assertThrows(
                    InvalidInputException.class, () -> tok.applyChatTemplate(List.of(ChatMessage.user("Hi")), true));
            assertTrue(e.getMessage().contains("has no chat template"), e.getMessage());
            assertTrue(e.hint().contains("chat_template.jinja"), e.hint());
        }
    }

    @Test
    void chatTemplateJinjaBesideTheTokenizerIsRead(@TempDir Path dir) throws Exception {
        Path gpt2 = Path.of(ChatTemplateParityTest.class
                .getClassLoader()
                .getResource("fixtures/gpt2")
                .toURI());
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(gpt2.resolve(f), dir.resolve(f));
        }
        Files.writeString(
                dir.resolve("chat_template.jinja"),
                "{% for m in messages %}{{ m.role.title() }}: {{ m.content }}\n{% endfor %}"
                        + "{% if add_generation_prompt %}Assistant:{% endif %}");
        try (HfTokenizer tok = HfTokenizer.load(dir)) {
            assertEquals(
                    "System: Be brief.\nUser: Hi\nAssistant:",
                    tok.applyChatTemplate(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")), true));
        }
    }

    @Test
    void pythonStringMethodsBehaveAsInPython() {
        ChatTemplate t = ChatTemplate.of(
                "{{ messages[0].content.upper() }}|{{ messages[0].content.lstrip() }}|"
                        + "{{ messages[0].content.split() | length }}|{% if messages[0].role.startswith('us') %}yes{% endif %}|"
                        + "{{ '-'.join(['a', 'b']) }}|{{ messages | tojson }}",
                java.util.Map.of());
        assertEquals(
                "  HI THERE |hi there |2|yes|a-b|[{\"role\": \"user\", \"content\": \"  hi there \"}]",
                assertDoesNotThrow(() -> t.render(List.of(ChatMessage.user("  hi there ")), false)));
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }
}
