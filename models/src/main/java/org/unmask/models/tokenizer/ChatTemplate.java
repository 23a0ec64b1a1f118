package org.unmask.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaProcessors;
import com.hubspot.jinjava.interpret.CollectionTooBigException;
import com.hubspot.jinjava.interpret.OutputTooBigException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.request.ChatMessage;

/**
 * A model's chat template, rendered as transformers' {@code apply_chat_template(tokenize=False)} renders it: Jinja
 * with {@code trim_blocks} and {@code lstrip_blocks}, the variables {@code messages} (role/content maps),
 * {@code add_generation_prompt} and the tokenizer's special tokens ({@code bos_token}, {@code eos_token}...), the
 * function {@code raise_exception(msg)} (a template's way to reject a conversation) and the Python string methods
 * templates call. Rendering runs on Jinjava (HubSpot's Java Jinja).
 *
 * <p>Where the template comes from, as transformers 5 reads it: {@code chat_template.jinja} beside the tokenizer
 * (what transformers 5 writes), else {@code chat_template} in {@code tokenizer_config.json}, a string or a list of
 * {@code {name, template}} of which the one named {@code default} is used.
 *
 * <p>A template is a program that comes with a model folder, so rendering is bounded ({@link Limits}): its output
 * length, the strings and collections it builds, and its running time. A template over a limit fails with one
 * {@link InvalidInputException} naming the template's file and the limit, instead of hanging or running out of
 * memory.
 */
public final class ChatTemplate {
    static final String FILE = "chat_template.jinja";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPECIAL_FIELDS =
            List.of("bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token");

    private static final java.util.regex.Pattern STRIP_BEFORE = java.util.regex.Pattern.compile("\\s+(\\{[{%#]-)");
    private static final java.util.regex.Pattern STRIP_AFTER = java.util.regex.Pattern.compile("(-[}%#]\\})\\s+");

    /**
     * What one rendering may take.
     *
     * @param maxOutputChars the longest output, and the longest string or list built on the way (in characters or
     *     items); a conversation rendered for a model is far shorter than its context window
     * @param maxRenderTime the longest rendering; templates render a conversation in milliseconds
     */
    public record Limits(int maxOutputChars, Duration maxRenderTime) {
        /** 4 Mi characters (about a million tokens, beyond every context window) and 10 seconds. */
        public static final Limits DEFAULT = new Limits(4 << 20, Duration.ofSeconds(10));

        public Limits {
            if (maxOutputChars < 1 || maxRenderTime.isNegative() || maxRenderTime.isZero()) {
                throw new IllegalArgumentException("limits must be positive: " + maxOutputChars + ", " + maxRenderTime);
            }
        }
    }

    private final String source;
    private final String origin;
    private final Limits limits;
    private final String prepared;
    private final Map<String, Object> specialTokens;
    private final Jinjava jinjava;
    /** The end of the rendering in progress on each thread ({@link System#nanoTime()}); Jinjava is re-entrant. */
    private final ThreadLocal<Long> deadline = new ThreadLocal<>();

    private ChatTemplate(String source, String origin, Map<String, Object> specialTokens, Limits limits) {
        this.source = source;
        this.origin = origin;
        this.limits = limits;
        this.prepared = applyWhitespaceControl(source);
        this.specialTokens = Map.copyOf(specialTokens);
        JinjavaConfig defaults = JinjavaConfig.newBuilder().build();
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                // message text is data: "{{" in a user message must not be rendered again
                .withNestedInterpretationEnabled(false)
                .withElResolver(new PythonStringMethods(defaults.getElResolver()))
                .withMaxOutputSize(limits.maxOutputChars())
                .withMaxStringLength(limits.maxOutputChars())
                .withMaxListSize(limits.maxOutputChars())
                .withMaxMapSize(limits.maxOutputChars())
                // Jinjava has no loop-iteration limit: the clock is read before every node (a loop body, a tag)
                .withProcessors(JinjavaProcessors.newBuilder()
                        .withNodePreProcessor((node, interpreter) -> checkTime(node))
                        .build())
                .build();
        this.jinjava = new Jinjava(config);
        jinjava.getGlobalContext()
                .registerFunction(new ELFunctionDefinition(
                        "", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFilter(new PythonJsonFilter());
    }

    /**
     * A template from its Jinja source.
     *
     * @param specialTokens template variables such as {@code bos_token} → {@code <s>}
     */
    public static ChatTemplate of(String source, Map<String, ?> specialTokens) {
        return of(source, "the chat template", specialTokens, Limits.DEFAULT);
    }

    /**
     * A template from its Jinja source, bounded by {@code limits}.
     *
     * @param origin where the template comes from (its file), as messages name it
     */
    public static ChatTemplate of(String source, String origin, Map<String, ?> specialTokens, Limits limits) {
        return new ChatTemplate(source, origin, new LinkedHashMap<>(specialTokens), limits);
    }

    /** The template of the tokenizer in {@code dir}, if it has one. */
    static Optional<ChatTemplate> load(Path dir) throws ModelException {
        JsonNode config = readConfig(dir);
        Map<String, Object> specials = specialTokens(config);
        Path file = dir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try {
                return Optional.of(new ChatTemplate(
                        Files.readString(file, StandardCharsets.UTF_8), file.toString(), specials, Limits.DEFAULT));
            } catch (IOException e) {
                throw new ModelException(file + ": unreadable: " + e.getMessage(), "restore the file");
            }
        }
        JsonNode t = config.path("chat_template");
        String inConfig = dir.resolve("tokenizer_config.json") + " (chat_template)";
        if (t.isTextual()) {
            return Optional.of(new ChatTemplate(t.asText(), inConfig, specials, Limits.DEFAULT));
        }
        if (t.isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode named : t) {
                names.add(named.path("name").asText());
                if (named.path("name").asText().equals("default")) {
                    return Optional.of(
                            new ChatTemplate(named.path("template").asText(), inConfig, specials, Limits.DEFAULT));
                }
            }
            throw new ModelException(
                    dir.resolve("tokenizer_config.json") + ": chat_template lists " + names
                            + " but none is named \"default\"",
                    "name the template to use \"default\"");
        }
        return Optional.empty();
    }

    private static JsonNode readConfig(Path dir) throws ModelException {
        Path f = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(f)) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new ModelException(f + ": not readable JSON: " + e.getMessage(), "restore the file");
        }
    }

    /** The special-token variables transformers passes to templates (its {@code special_tokens_map}). */
    private static Map<String, Object> specialTokens(JsonNode config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String field : SPECIAL_FIELDS) {
            JsonNode v = config.path(field);
            String t = v.isObject() ? v.path("content").asText(null) : v.isTextual() ? v.asText() : null;
            if (t != null) {
                out.put(field, t);
            }
        }
        for (String field : List.of("additional_special_tokens", "extra_special_tokens")) {
            if (config.path(field).isArray()) {
                List<String> extra = new ArrayList<>();
                config.path(field)
                        .forEach(n -> extra.add(n.isObject() ? n.path("content").asText() : n.asText()));
                out.put("additional_special_tokens", extra);
            }
        }
        return out;
    }

    public String source() {
        return source;
    }

    /**
     * The conversation as text, exactly as transformers renders it.
     *
     * @throws InvalidInputException when the template calls {@code raise_exception} or cannot be rendered
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) throws InvalidInputException {
        Map<String, Object> vars = new LinkedHashMap<>(specialTokens);
        List<Map<String, Object>> msgs = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("role", m.role());
            one.put("content", m.content());
            msgs.add(one);
        }
        vars.put("messages", msgs);
        vars.put("add_generation_prompt", addGenerationPrompt);
        RenderResult r;
        deadline.set(System.nanoTime() + limits.maxRenderTime().toNanos());
        try {
            r = jinjava.renderForResult(prepared, vars);
        } catch (TooLong e) {
            throw tooLong();
        } catch (StackOverflowError e) {
            // Jinjava parses and renders recursively: thousands of nested brackets or blocks overflow the stack,
            // which is unwound by the time it is caught here, so the thread goes on safely
            throw new InvalidInputException(
                    origin + ": the chat template nests brackets or blocks too deeply to be " + "rendered",
                    "real chat templates nest a few levels; look for a run of '[', '(' or '{% if'");
        } finally {
            deadline.remove();
        }
        for (TemplateError e : r.getErrors()) {
            // a limit reached is never a mere warning: the output would be cut short
            InvalidInputException limit = overLimit(e);
            if (limit != null) {
                throw limit;
            }
        }
        for (TemplateError e : r.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(e);
            }
        }
        return r.getOutput();
    }

    /** Stops a rendering past its deadline; called by Jinjava before it renders each node. */
    private void checkTime(Node node) {
        Long end = deadline.get();
        if (end != null && System.nanoTime() - end > 0) {
            throw new TooLong();
        }
    }

    private InvalidInputException tooLong() {
        return new InvalidInputException(
                origin + ": the chat template ran longer than the render time limit of "
                        + limits.maxRenderTime().toMillis() / 1000.0 + " s",
                "chat templates format a conversation in milliseconds; look for loops that multiply "
                        + "(a range() inside a range()) and remove them");
    }

    /** The error to report when {@code e} is a limit reached, else null. */
    private InvalidInputException overLimit(TemplateError e) {
        for (Throwable t = e.getException(); t != null; t = t.getCause()) {
            if (t instanceof TooLong) {
                return tooLong();
            }
            if (t instanceof OutputTooBigException || t instanceof CollectionTooBigException) {
                return new InvalidInputException(
                        origin + ": the chat template's output (or a string or list it "
                                + "builds) exceeds the limit of " + limits.maxOutputChars() + " characters",
                        "a rendered conversation is far shorter; look for loops or repetitions ('x' * n) that "
                                + "build huge text and remove them");
            }
        }
        return null;
    }

    private static InvalidInputException failure(TemplateError e) {
        for (Throwable t = e.getException(); t != null; t = t.getCause()) {
            if (t instanceof Raised raised) {
                return new InvalidInputException(
                        "the model's chat template rejects this conversation: " + raised.getMessage(),
                        "change the conversation as the message says");
            }
        }
        return new InvalidInputException(
                "the model's chat template failed at line " + e.getLineno() + ": " + e.getMessage(),
                "the template may use a Jinja feature Unmask does not support; "
                        + "simplify it in chat_template.jinja beside tokenizer.json");
    }

    /**
     * Applies Jinja's {@code {{-}} / {@code -}}} whitespace control to the source itself: Jinjava leaves the
     * indentation before a {@code {{- x }}} that follows a trimmed block tag, which Jinja strips (every Llama-3
     * style template indents its body this way). Whitespace next to a dash marker is never output in Jinja, so
     * removing it from the source changes nothing else.
     */
    static String applyWhitespaceControl(String source) {
        return STRIP_AFTER
                .matcher(STRIP_BEFORE.matcher(source).replaceAll("$1"))
                .replaceAll("$1");
    }

    /** The template's {@code raise_exception(msg)}: stops rendering with the template's message. */
    public static String raiseException(String message) {
        throw new Raised(message);
    }

    /** What the clock check throws through Jinjava when a rendering runs past its deadline. */
    private static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super("render time limit", null, false, false);
        }
    }

    /** What {@code raise_exception} throws through Jinjava, to be told apart from other template errors. */
    private static final class Raised extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Raised(String message) {
            super(message, null, false, false);
        }
    }
}
