package org.unmask.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.TextGenerator;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.GenerationRequest;

/**
 * A causal "model" whose continuations are a function of the request, so generation measures can be checked
 * against counts known in closed form. It records every request it answers. It scores nothing. One made
 * {@link #withChatTemplate} also answers chat requests: its template writes each turn as {@code <|role|>content} and
 * ends with {@code <|assistant|>}, and a reply is the script's answer to a request whose prompt is that rendering.
 */
public final class ScriptedGenerator implements TextGenerator {
    private final Function<GenerationRequest, String> script;
    private final boolean chat;
    private final List<GenerationRequest> seen = new ArrayList<>();
    private final ModelInfo info = new ModelInfo(
            "scripted-generator",
            "ScriptedForCausalLM",
            ModelKind.CAUSAL_LM,
            Path.of("."),
            "0".repeat(64),
            "0".repeat(64),
            "scripted",
            64,
            Map.of());

    public ScriptedGenerator(Function<GenerationRequest, String> script) {
        this(script, false);
    }

    private ScriptedGenerator(Function<GenerationRequest, String> script, boolean chat) {
        this.script = script;
        this.chat = chat;
    }

    /** A scripted model with a chat template (an "instruct" model). */
    public static ScriptedGenerator withChatTemplate(Function<GenerationRequest, String> script) {
        return new ScriptedGenerator(script, true);
    }

    /** The rendering of a conversation by this model's chat template, with the generation prompt. */
    public static String render(List<ChatMessage> messages) {
        return messages.stream().map(m -> "<|" + m.role() + "|>" + m.content()).collect(Collectors.joining())
                + "<|assistant|>";
    }

    /** The requests answered so far, in order (a chat sample's prompt is its rendered conversation). */
    public List<GenerationRequest> seen() {
        return List.copyOf(seen);
    }

    @Override
    public String generate(GenerationRequest request) {
        seen.add(request);
        return script.apply(request);
    }

    @Override
    public List<String> generateFromIds(int[] prompt, List<GenerationRequest> samples) {
        String text = new String(prompt, 0, prompt.length);
        List<String> out = new ArrayList<>();
        for (GenerationRequest r : samples) {
            out.add(generate(
                    new GenerationRequest(text, r.maxNewTokens(), r.temperature(), r.topK(), r.topP(), r.seed())));
        }
        return out;
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) throws ModelException {
        throw new ModelException("a scripted generator scores nothing", "use ScriptedMaskedLm for lean measures");
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public TextTokenizer tokenizer() {
        return new CodePoints(chat);
    }

    @Override
    public void close() {}

    /** One token per code point; with a chat template, renders chats as {@link #render} says. */
    private record CodePoints(boolean chat) implements TextTokenizer {
        @Override
        public Encoding encode(String text) {
            return encodeWithoutSpecials(text);
        }

        @Override
        public Encoding encodeWithoutSpecials(String text) {
            int[] ids = text.codePoints().toArray();
            int n = ids.length;
            String[] tokens = new String[n];
            int[] starts = new int[n];
            int[] ends = new int[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = Character.toString(ids[i]);
                starts[i] = -1;
                ends[i] = -1;
            }
            return new Encoding(ids, tokens, starts, ends, new boolean[n]);
        }

        @Override
        public String decode(int[] ids) {
            return new String(ids, 0, ids.length);
        }

        @Override
        public String token(int id) {
            return Character.toString(id);
        }

        @Override
        public OptionalInt id(String token) {
            return token.codePointCount(0, token.length()) == 1
                    ? OptionalInt.of(token.codePointAt(0))
                    : OptionalInt.empty();
        }

        @Override
        public int vocabularySize() {
            return Character.MAX_CODE_POINT + 1;
        }

        @Override
        public String maskToken() {
            return "";
        }

        @Override
        public int maskTokenId() {
            return -1;
        }

        @Override
        public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt)
                throws InvalidInputException {
            return chat ? render(messages) : TextTokenizer.super.applyChatTemplate(messages, addGenerationPrompt);
        }
    }
}
