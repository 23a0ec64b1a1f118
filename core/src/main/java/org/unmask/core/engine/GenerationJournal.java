package org.unmask.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.request.GenerationRequest;

/**
 * Sampled continuations already generated, kept on disk so a long sampling study that is interrupted resumes where it
 * stopped: one JSON line per answered {@link GenerationRequest}, appended and flushed to the file system after each
 * chunk. Lines of another model (by weights sha256) are ignored, and a last line cut short by a crash is skipped and
 * counted. A sample is fully determined by its request (the seed is part of it), so a resumed study gives the same
 * results as an uninterrupted one.
 */
public final class GenerationJournal {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String model;
    private final Map<GenerationRequest, String> done = new HashMap<>();
    private final int skippedLines;

    private GenerationJournal(Path file, String model, int skippedLines) {
        this.file = file;
        this.model = model;
        this.skippedLines = skippedLines;
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
            throw new InvalidInputException("cannot read the generation journal " + file + ": " + e.getMessage(),
                    "delete it to start the sampling over");
        }
        int skipped = 0;
        Map<GenerationRequest, String> found = new HashMap<>();
        for (String line : lines) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && model.equals(n.path("model").asText())) {
                    found.put(new GenerationRequest(n.path("prompt").asText(), n.path("maxNewTokens").asInt(),
                            n.path("temperature").asDouble(), n.path("topK").asInt(), n.path("topP").asDouble(),
                            n.path("seed").asLong()), n.path("text").asText());
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                skipped++; // a line cut short by an interruption: its request simply runs again
            }
        }
        GenerationJournal j = new GenerationJournal(file, model, skipped);
        j.done.putAll(found);
        return j;
    }

    /** The recorded continuation of {@code request}, if an earlier run made it. */
    public Optional<String> find(GenerationRequest request) {
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
    public void record(List<GenerationRequest> requests, List<String> texts) throws InvalidInputException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < requests.size(); i++) {
            GenerationRequest r = requests.get(i);
            ObjectNode n = JSON.createObjectNode().put("model", model).put("prompt", r.prompt())
                    .put("maxNewTokens", r.maxNewTokens()).put("temperature", r.temperature()).put("topK", r.topK())
                    .put("topP", r.topP()).put("seed", r.seed()).put("text", texts.get(i));
            out.append(n).append('\n');
            done.put(r, texts.get(i));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                os.write(out.toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot append to the generation journal " + file + ": "
                    + e.getMessage(), "check free space and permissions of the output folder");
        }
    }

    /** Removes the journal once the results it served are written. */
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
