package org.unmask.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.request.ChatGenerationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.request.ModelRequest;

/**
 * Sampled continuations already generated, kept on disk so a long sampling study that is interrupted resumes where it
 * stopped: one JSON line per answered {@link GenerationRequest} or {@link ChatGenerationRequest}, appended and
 * flushed to the file system after each chunk. A chat line adds the conversation ({@code messages}: role and content
 * per turn) to the sampling settings; a line without {@code messages} is a plain continuation, so journals written
 * before chat sampling existed stay readable. Lines of another model (by weights sha256) are ignored, and a last
 * line cut short by a crash is skipped and counted. A sample is fully determined by its request (the seed is part of
 * it), so a resumed study gives the same results as an uninterrupted one.
 */
public final class GenerationJournal {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String model;
    private final Map<ModelRequest<String>, String> done = new HashMap<>();
    private final int skippedLines;

    private GenerationJournal(Path file, String model, int skippedLines) {
        this.file = file;
        this.model = model;
        this.skippedLines = skippedLines;
    }

    /**
     * The model key a journal's lines carry: the weights' sha256, plus, for weights held in a reduced precision, the
     * precision ({@code lineage.precision}) and the engine's quantisation scheme when it names one
     * ({@code lineage.precision.scheme}): samples drawn from other numbers are other samples, and never resumed as
     * these. fp32 keys are the bare sha256 (as every journal before reduced precisions), libtorch's int8 is
     * {@code sha+int8} as before ONNX Runtime held int8 too.
     */
    public static String modelKey(ModelInfo info) {
        String precision = info.lineage().get("precision");
        if (precision == null) {
            return info.weightsSha256();
        }
        String scheme = info.lineage().get("precision.scheme");
        return info.weightsSha256() + "+" + precision + (scheme == null ? "" : "+" + scheme);
    }

    /**
     * Opens (or starts) the journal at {@code file} for the model whose weights hash to {@code modelSha256}.
     *
     * @throws InvalidInputException when the file exists but cannot be read
     */
    public static GenerationJournal open(Path file, String modelSha256) throws InvalidInputException {
        String model = modelSha256 == null ? "" : modelSha256;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new GenerationJournal(file, model, 0);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read the generation journal " + file + ": " + e.getMessage(),
                    "delete it to start the sampling over");
        }
        int skipped = 0;
        Map<ModelRequest<String>, String> found = new HashMap<>();
        for (String line : lines) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && model.equals(n.path("model").asText())) {
                    found.put(request(n), n.path("text").asText());
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                skipped++; // a line cut short by an interruption: its request simply runs again
            }
        }
        GenerationJournal j = new GenerationJournal(file, model, skipped);
        j.done.putAll(found);
        return j;
    }

    /** The request a line answers: a chat reply when it has {@code messages}, else a plain continuation. */
    private static ModelRequest<String> request(JsonNode n) {
        GenerationRequest settings = new GenerationRequest(
                n.path("prompt").asText(),
                n.path("maxNewTokens").asInt(),
                n.path("temperature").asDouble(),
                n.path("topK").asInt(),
                n.path("topP").asDouble(),
                n.path("seed").asLong());
        if (!n.has("messages")) {
            return settings;
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : n.get("messages")) {
            if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw new IllegalArgumentException("a chat turn without role or content"); // a damaged line
            }
            messages.add(new ChatMessage(
                    m.path("role").textValue(), m.path("content").textValue()));
        }
        return new ChatGenerationRequest(messages, settings);
    }

    /** The recorded continuation or reply of {@code request}, if an earlier run made it. */
    public Optional<String> find(ModelRequest<String> request) {
        return Optional.ofNullable(done.get(request));
    }

    /** Continuations found when the journal was opened (and recorded since). */
    public int size() {
        return done.size();
    }

    /** Lines that could not be read (a write cut short); their requests are generated again. */
    public int skippedLines() {
        return skippedLines;
    }

    public Path file() {
        return file;
    }

    /** Appends answers and flushes them to disk before returning. */
    public void record(List<? extends ModelRequest<String>> requests, List<String> texts) throws InvalidInputException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < requests.size(); i++) {
            out.append(line(requests.get(i), texts.get(i))).append('\n');
            done.put(requests.get(i), texts.get(i));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream os = Files.newOutputStream(
                    file,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC)) {
                os.write(out.toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot append to the generation journal " + file + ": " + e.getMessage(),
                    "check free space and permissions of the output folder");
        }
    }

    /** One journal line: the sampling settings, the conversation of a chat request, and the answer. */
    private ObjectNode line(ModelRequest<String> request, String text) {
        GenerationRequest r = request instanceof ChatGenerationRequest c ? c.settings() : (GenerationRequest) request;
        ObjectNode n = JSON.createObjectNode()
                .put("model", model)
                .put("prompt", r.prompt())
                .put("maxNewTokens", r.maxNewTokens())
                .put("temperature", r.temperature())
                .put("topK", r.topK())
                .put("topP", r.topP())
                .put("seed", r.seed());
        if (request instanceof ChatGenerationRequest c) {
            ArrayNode messages = n.putArray("messages");
            for (ChatMessage m : c.messages()) {
                messages.addObject().put("role", m.role()).put("content", m.content());
            }
        }
        return n.put("text", text);
    }

    /** Removes the journal once the results it served are written. */
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
