package org.unmask.models.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.request.ChatMessage;
import org.unmask.models.config.ModelConfig;

/**
 * A model's {@code tokenizer.json} run by Hugging Face's own tokenizers library (through DJL's JNI
 * binding), so ids match the Python side exactly. No truncation and no padding: the executor checks
 * lengths and the backend pads.
 */
public final class HfTokenizer implements TextTokenizer, AutoCloseable {
    private static final ObjectMapper JSON = ModelConfig.boundedMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final String[] idToToken;
    private final Map<String, Integer> tokenToId;
    private final String maskToken;
    private final int maskId;
    private final boolean cleanUpSpaces;
    private final boolean spaceBeforeWords;
    private final OptionalInt bos;
    private final Path dir;
    private final Optional<ChatTemplate> chatTemplate;

    private HfTokenizer(
            HuggingFaceTokenizer tokenizer,
            String[] idToToken,
            Map<String, Integer> tokenToId,
            String maskToken,
            boolean cleanUpSpaces,
            boolean spaceBeforeWords,
            OptionalInt bos,
            Path dir,
            Optional<ChatTemplate> chatTemplate) {
        this.tokenizer = tokenizer;
        this.dir = dir;
        this.chatTemplate = chatTemplate;
        this.bos = bos;
        this.spaceBeforeWords = spaceBeforeWords;
        this.cleanUpSpaces = cleanUpSpaces;
        this.idToToken = idToToken;
        this.tokenToId = tokenToId;
        this.maskToken = maskToken;
        this.maskId = maskToken.isEmpty() ? -1 : tokenToId.getOrDefault(maskToken, -1);
    }

    /**
     * Loads {@code tokenizer.json} from a model folder, for use without a model (ids are only bounded by
     * {@link ModelConfig#MAX_DIM}); see {@link #load(Path, int)}.
     */
    public static HfTokenizer load(Path dir) throws ModelException {
        return load(dir, ModelConfig.MAX_DIM);
    }

    /**
     * Loads {@code tokenizer.json} from a model folder; the mask token comes from
     * {@code tokenizer_config.json} or {@code special_tokens_map.json} when present, else from the
     * vocabulary ({@code [MASK]} or {@code <mask>}). Every id in the vocabulary and the added tokens must lie in
     * {@code [0, modelVocab)}, the model's embedding rows: an id outside would index past the embedding matrix (or,
     * huge, make the id table allocate gigabytes), so it is an error naming the token.
     *
     * @param modelVocab the model's {@code vocab_size}
     */
    public static HfTokenizer load(Path dir, int modelVocab) throws ModelException {
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelException(
                    "no tokenizer.json in " + dir,
                    "export the tokenizer with tokenizer.save_pretrained(dir) (fast tokenizer format)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelException(
                    file + ModelConfig.where(e) + ": not a valid tokenizer.json: " + e.getOriginalMessage(),
                    "restore the file from the model's source");
        } catch (IOException e) {
            throw new ModelException(
                    file + ": not a readable tokenizer.json: " + e.getMessage(),
                    "restore the file from the model's source");
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(
                    file + ": tokenizer.json must hold a JSON object", "restore the file from the model's source");
        }
        Map<String, Integer> vocab = vocabulary(file, root, modelVocab);
        int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] ids = new String[size];
        vocab.forEach((t, i) -> ids[i] = t);
        String mask = maskToken(dir, vocab);
        Optional<ChatTemplate> chat = ChatTemplate.load(dir);
        try {
            HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(true)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            String bosToken = specialToken(dir, "bos_token", vocab);
            OptionalInt bos =
                    bosToken.isEmpty() ? configBos(dir, vocab, modelVocab) : OptionalInt.of(vocab.get(bosToken));
            return new HfTokenizer(
                    tok, ids, vocab, mask, cleanUpSpaces(dir), byteLevelWithoutPrefixSpace(root), bos, dir, chat);
        } catch (IOException | RuntimeException e) {
            throw new ModelException(
                    file + ": the tokenizers library could not load it: " + e.getMessage(),
                    "check that it is a Hugging Face fast-tokenizer file");
        }
    }

    /** The token → id map of {@code model.vocab} and {@code added_tokens}, every id checked against the model. */
    private static Map<String, Integer> vocabulary(Path file, JsonNode root, int modelVocab) throws ModelException {
        Map<String, Integer> vocab = new HashMap<>();
        JsonNode v = root.path("model").path("vocab");
        if (v.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                vocab.put(e.getKey(), id(file, "model.vocab", e.getKey(), e.getValue(), modelVocab));
            }
        } else if (v.isArray()) { // Unigram: [[piece, score], ...]
            if (v.size() > modelVocab) {
                throw badIds(
                        file, "model.vocab has " + v.size() + " pieces, more than the model's " + modelVocab + " ids");
            }
            for (int i = 0; i < v.size(); i++) {
                JsonNode piece = v.get(i).path(0);
                if (!piece.isTextual()) {
                    throw badIds(file, "model.vocab entry " + i + " is not a [piece, score] pair");
                }
                vocab.put(piece.asText(), i);
            }
        } else if (!v.isMissingNode() && !v.isNull()) {
            throw badIds(file, "model.vocab is neither an object nor a list");
        }
        JsonNode added = root.path("added_tokens");
        if (!added.isMissingNode() && !added.isNull() && !added.isArray()) {
            throw badIds(file, "added_tokens is not a list");
        }
        for (JsonNode a : added) {
            JsonNode content = a.path("content");
            if (!content.isTextual()) {
                throw badIds(file, "an added_tokens entry has no \"content\" string");
            }
            vocab.put(content.asText(), id(file, "added_tokens", content.asText(), a.path("id"), modelVocab));
        }
        return vocab;
    }

    private static int id(Path file, String where, String token, JsonNode id, int modelVocab) throws ModelException {
        if (!id.isIntegralNumber() || !id.canConvertToLong()) {
            throw badIds(file, where + ": token " + quoted(token) + " has id " + shown(id) + ", not an integer");
        }
        long i = id.asLong();
        if (i < 0 || i >= modelVocab) {
            throw badIds(
                    file,
                    where + ": token " + quoted(token) + " has id " + i + ", outside the model's " + "vocabulary [0, "
                            + modelVocab + ")");
        }
        return (int) i;
    }

    private static ModelException badIds(Path file, String problem) {
        return new ModelException(
                file + ": " + problem,
                "the tokenizer.json does not belong to this model (or is "
                        + "corrupt); restore it from the model's source");
    }

    private static String quoted(String token) {
        String t = token.length() > 40 ? token.substring(0, 40) + "..." : token;
        return "\"" + t.replace("\n", "\\n") + "\"";
    }

    private static String shown(JsonNode v) {
        String s = v.isMissingNode() ? "(none)" : v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * Whether the pre-tokenizer is byte-level without {@code add_prefix_space} (GPT-2, BLOOM, OLMo,
     * Llama-3): there a word inside a sentence is spelled with its leading space ({@code Ġnurse}) and
     * differs from the bare word at the start of a text ({@code nurse}). WordPiece and Metaspace
     * (SentencePiece) tokenizers already mark a bare word as a word start.
     */
    private static boolean byteLevelWithoutPrefixSpace(JsonNode root) {
        JsonNode pre = root.path("pre_tokenizer");
        if (pre.path("type").asText("").equals("Sequence")) {
            for (JsonNode p : pre.path("pretokenizers")) {
                if (p.path("type").asText("").equals("ByteLevel")) {
                    return !p.path("add_prefix_space").asBoolean(true);
                }
            }
            return false;
        }
        return pre.path("type").asText("").equals("ByteLevel")
                && !pre.path("add_prefix_space").asBoolean(true);
    }

    /**
     * The word as it is tokenised inside a sentence: after a space for byte-level tokenizers
     * ({@code Ġnurse}), bare otherwise ({@code ▁nurse}, {@code nurse}), without special tokens.
     */
    public Encoding inSentence(String word) {
        boolean addSpace = spaceBeforeWords && !word.isEmpty() && !Character.isWhitespace(word.charAt(0));
        return encodeWithoutSpecials(addSpace ? " " + word : word);
    }

    @Override
    public List<String> pieces(String word) {
        return List.of(inSentence(word).tokens());
    }

    /**
     * The beginning-of-text id when the tokenizer files name none: the model config's
     * {@code bos_token_id}, else GPT-2's {@code <|endoftext|>}, which lm-evaluation-harness also uses as
     * the prefix of an empty context.
     */
    private static OptionalInt configBos(Path dir, Map<String, Integer> vocab, int modelVocab) {
        Path config = dir.resolve("config.json");
        if (Files.isRegularFile(config)) {
            try {
                JsonNode id = JSON.readTree(config.toFile()).get("bos_token_id");
                if (id != null
                        && id.isIntegralNumber()
                        && id.canConvertToInt()
                        && id.asInt() >= 0
                        && id.asInt() < modelVocab) {
                    return OptionalInt.of(id.asInt());
                }
            } catch (IOException e) {
                // config.json problems are reported where the config is read; here it only offers a fallback
            }
        }
        Integer eot = vocab.get("<|endoftext|>");
        return eot == null ? OptionalInt.empty() : OptionalInt.of(eot);
    }

    /** transformers' {@code clean_up_tokenization_spaces}; absent means true, its long-standing default. */
    private static boolean cleanUpSpaces(Path dir) {
        Path f = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(f)) {
            try {
                JsonNode v = JSON.readTree(f.toFile()).get("clean_up_tokenization_spaces");
                return v == null || v.asBoolean(true);
            } catch (IOException e) {
                return true;
            }
        }
        return true;
    }

    private static String maskToken(Path dir, Map<String, Integer> vocab) {
        String declared = specialToken(dir, "mask_token", vocab);
        if (!declared.isEmpty()) {
            return declared;
        }
        for (String t : new String[] {"[MASK]", "<mask>"}) {
            if (vocab.containsKey(t)) {
                return t;
            }
        }
        return "";
    }

    /** A special token named in tokenizer_config.json or special_tokens_map.json, if in the vocabulary; else "". */
    private static String specialToken(Path dir, String field, Map<String, Integer> vocab) {
        for (String name : new String[] {"tokenizer_config.json", "special_tokens_map.json"}) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                try {
                    JsonNode m = JSON.readTree(f.toFile()).path(field);
                    String t = m.isObject() ? m.path("content").asText("") : m.asText("");
                    if (!t.isEmpty() && vocab.containsKey(t)) {
                        return t;
                    }
                } catch (IOException e) {
                    // an unreadable side file is not fatal: fall back to the vocabulary
                }
            }
        }
        return "";
    }

    /**
     * Renders with the model's chat template ({@link ChatTemplate}); the text then goes through
     * {@link #encodeWithoutSpecials}, which maps the special tokens written in it to their ids, as transformers'
     * {@code apply_chat_template(tokenize=True)} does.
     */
    @Override
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt)
            throws InvalidInputException {
        if (chatTemplate.isEmpty()) {
            throw new InvalidInputException(
                    "the model in " + dir + " has no chat template (no chat_template in "
                            + "tokenizer_config.json, no " + ChatTemplate.FILE
                            + "): it looks like a base model, not an "
                            + "instruction-tuned one",
                    "use the model's instruct/chat version, or write its template to "
                            + dir.resolve(ChatTemplate.FILE));
        }
        return chatTemplate.get().render(messages, addGenerationPrompt);
    }

    /** Whether the tokenizer came with a chat template. */
    public boolean hasChatTemplate() {
        return chatTemplate.isPresent();
    }

    @Override
    public OptionalInt beginOfTextId() {
        return bos;
    }

    @Override
    public Encoding encode(String text) {
        return convert(tokenizer.encode(text, true, false));
    }

    @Override
    public Encoding encodeWithoutSpecials(String text) {
        return convert(tokenizer.encode(text, false, false));
    }

    private static Encoding convert(ai.djl.huggingface.tokenizers.Encoding e) {
        long[] ids = e.getIds();
        long[] special = e.getSpecialTokenMask();
        CharSpan[] spans = e.getCharTokenSpans();
        int n = ids.length;
        int[] out = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        boolean[] sp = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) ids[i];
            sp[i] = special[i] != 0;
            CharSpan s = i < spans.length ? spans[i] : null;
            starts[i] = s == null ? -1 : s.getStart();
            ends[i] = s == null ? -1 : s.getEnd();
        }
        return new Encoding(out, e.getTokens(), starts, ends, sp);
    }

    @Override
    public String decode(int[] ids) {
        String text = tokenizer.decode(toLong(ids), true);
        return cleanUpSpaces ? cleanUp(text) : text;
    }

    /**
     * transformers' {@code clean_up_tokenization}, applied in Python after the Rust decoder, so the
     * filled {@code sequence} reads like Hugging Face's ("hello i'm a fashion model.").
     */
    static String cleanUp(String s) {
        return s.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    @Override
    public String display(int id) {
        return tokenizer.decode(new long[] {id}, false);
    }

    @Override
    public String token(int id) {
        return id >= 0 && id < idToToken.length && idToToken[id] != null ? idToToken[id] : "";
    }

    @Override
    public OptionalInt id(String token) {
        Integer i = tokenToId.get(token);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    @Override
    public int vocabularySize() {
        return idToToken.length;
    }

    @Override
    public String maskToken() {
        return maskToken;
    }

    @Override
    public int maskTokenId() {
        return maskId;
    }

    private static long[] toLong(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
