package org.unmask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;
import org.unmask.core.testing.RealModel;
import org.unmask.models.source.ModelResolver;

/** The fill command end to end on the embedded model: output fields, exit codes and one-line errors. */
class FillCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @RealModel
    @Test
    void printsHuggingFaceFieldsAsJson() throws IOException {
        Run r = run(
                "fill", "The woman worked as a [MASK].", "--top-k", "3", "--targets", "nurse,businesswoman", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode slot = new ObjectMapper().readTree(r.out()).get(0).get("masks").get(0);
        JsonNode first = slot.get("predictions").get(0);
        assertEquals("nurse", first.get("token_str").asText());
        assertEquals(6821, first.get("token").asInt());
        assertEquals(0.2198, first.get("score").asDouble(), 1e-4);
        assertEquals("the woman worked as a nurse.", first.get("sequence").asText());
        JsonNode multi = slot.get("targets").get(1);
        assertEquals("chain-rule", multi.get("method").asText());
        assertEquals(2, multi.get("pieces").size());
    }

    @Test
    void readsTextsFromAFileAndNamesTheBadLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("texts.txt");
        Files.writeString(f, "This man works as a [MASK].\n\nThis woman works as a nurse.\n");
        Run r = run("fill", "--file", f.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().contains("texts.txt:3: no [MASK]"), r.err());
    }

    @RealModel
    @Test
    void rejectsTextWithoutMaskInOneLineWithoutStackTrace() {
        Run r = run("fill", "No mask here.");
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().startsWith("error: no [MASK] in text"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @RealModel
    @Test
    void rejectsTextLongerThanTheModelMaximum() {
        Run r = run("fill", "word ".repeat(600) + "[MASK].");
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().contains("more than the model's maximum of 512"), r.err());
    }

    @Test
    void rejectsAnUnknownModelSayingWhereItLooked() {
        Run r = run("fill", "A [MASK].", "--model", "nosuch-org/nosuch-model");
        assertEquals(ExitCode.MODEL_ERROR.code(), r.code());
        assertTrue(r.err().contains("looked in"), r.err());
        assertTrue(r.err().contains("hint:"), r.err());
    }

    @RealModel
    @Test
    void rejectsATruncatedCheckpoint(@TempDir Path dir) throws IOException, ModelException {
        Path model = copyConfigAndTokenizer(dir);
        byte[] head = new byte[1_000_000];
        try (var in = Files.newInputStream(embedded().resolve("model.safetensors"))) {
            in.readNBytes(head, 0, head.length);
        }
        Files.write(model.resolve("model.safetensors"), head);
        Run r = run("fill", "A [MASK].", "--model", model.toString());
        assertEquals(ExitCode.MODEL_ERROR.code(), r.code());
        assertTrue(r.err().contains("run past the end"), r.err());
    }

    @RealModel
    @Test
    void rejectsACheckpointWithABadHeader(@TempDir Path dir) throws IOException, ModelException {
        Path model = copyConfigAndTokenizer(dir);
        byte[] json = "{\"a\":xxxxxxxxxxx".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] bad = new byte[8 + json.length + 8];
        bad[0] = (byte) json.length;
        System.arraycopy(json, 0, bad, 8, json.length);
        Files.write(model.resolve("model.safetensors"), bad);
        Run r = run("fill", "A [MASK].", "--model", model.toString(), "--backend", "torch");
        assertEquals(ExitCode.MODEL_ERROR.code(), r.code());
        assertTrue(r.err().contains("not valid JSON"), r.err());
    }

    @Test
    void rejectsAnUnknownBackend() {
        Run r = run("fill", "A [MASK].", "--backend", "tpu");
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().contains("choose auto, onnx or torch"), r.err());
    }

    private static Path embedded() throws ModelException {
        return new ModelResolver().resolve(null).dir();
    }

    private static Path copyConfigAndTokenizer(Path dir) throws IOException, ModelException {
        Path model = Files.createDirectories(dir.resolve("model"));
        for (String f : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json"}) {
            Files.copy(embedded().resolve(f), model.resolve(f));
        }
        return model;
    }
}
