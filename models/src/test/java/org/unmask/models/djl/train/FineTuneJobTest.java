package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.safetensors.SafetensorsFile;

class FineTuneJobTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path parent;

    @BeforeAll
    static void parentModel() throws Exception {
        parent = TinyModelFolder.write(shared.resolve("tiny-parent"));
    }

    private Path data(String... lines) throws Exception {
        Path f = dir.resolve("data.txt");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    private static TrainConfig cfg() throws InvalidInputException {
        return TrainConfig.of(2, 2, 1, 1e-3, 0.1, 0.01, 1.0, 0.15, 0.1, 16, 7, 2);
    }

    private static FineTuneSpec spec(Path data, Path out, TrainConfig c, TrainingData.LongText lt) {
        return new FineTuneSpec(parent.toString(), data, "text", out, c, lt, false);
    }

    @Test
    void writesAHuggingFaceFolderWithProvenanceThatLoadsAndAnswers() throws Exception {
        Path d = data(
                "the man is a doctor .",
                "the woman is a nurse .",
                "she said he was kind .",
                "he said she was smart .",
                "his teacher works as an engineer .");
        Path out = dir.resolve("out");
        FineTuneJob.Outcome o = FineTuneJob.run(spec(d, out, cfg(), TrainingData.LongText.ERROR), p -> {});
        assertTrue(o.result().finished());
        assertEquals(6, o.result().steps(), "5 sequences, batch 2: 3 steps per epoch, 2 epochs");
        for (String f : List.of(
                "model.safetensors",
                "config.json",
                "tokenizer.json",
                "tokenizer_config.json",
                FineTuneJob.PROVENANCE)) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("checkpoints")), "checkpoints are removed after a finished run");
        JsonNode prov =
                new ObjectMapper().readTree(out.resolve(FineTuneJob.PROVENANCE).toFile());
        assertEquals(
                FileHashes.weightsSha256(parent),
                prov.path("parent").path("weightsSha256").asText());
        assertEquals(FileHashes.sha256(d), prov.path("data").path("sha256").asText());
        assertEquals(7, prov.path("settings").path("seed").asInt());
        assertEquals(
                FileHashes.sha256(out.resolve("model.safetensors")),
                prov.path("weightsSha256").asText());
        try (SafetensorsFile a = SafetensorsFile.open(parent.resolve("model.safetensors"));
                SafetensorsFile b = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertEquals(a.tensors().keySet(), b.tensors().keySet(), "same tensor names as the parent");
            String k = "bert.encoder.layer.1.output.dense.weight";
            assertFalse(java.util.Arrays.equals(a.readFloats(k), b.readFloats(k)), "weights were trained");
        }
        try (LanguageModel m = ModelLoader.load(out.toString(), Backend.TORCH)) {
            var r = new RequestExecutor(m, new ExecutorOptions(4, 0))
                    .execute(MaskFillRequest.targets("the [MASK] is a doctor .", List.of("man", "woman")));
            double total = r.slot().target("man").probability()
                    + r.slot().target("woman").probability();
            assertTrue(total > 0 && total < 1);
        }
        assertTrue(FineTuneJob.run(spec(d, out, cfg(), TrainingData.LongText.ERROR), p -> {})
                .alreadyComplete());
    }

    @Test
    void rejectsAnEmptyDataFile() throws Exception {
        Path d = data("", "   ");
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> FineTuneJob.run(spec(d, dir.resolve("o"), cfg(), TrainingData.LongText.ERROR), p -> {}));
        assertTrue(e.getMessage().contains("holds no text"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("o")), "nothing written");
    }

    @Test
    void rejectsTextLongerThanTheMaximumUnlessAskedToChunk() throws Exception {
        Path d = data(
                "the man is a doctor .",
                "he said she was smart and kind and he was very tall and the woman"
                        + " works as a teacher and the man as an engineer .");
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> FineTuneJob.run(spec(d, dir.resolve("o"), cfg(), TrainingData.LongText.ERROR), p -> {}));
        assertTrue(e.getMessage().contains("data.txt:2") && e.getMessage().contains("--max-length 16"), e.getMessage());
        FineTuneJob.Outcome o = FineTuneJob.run(spec(d, dir.resolve("o"), cfg(), TrainingData.LongText.CHUNK), p -> {});
        assertEquals(1, o.data().chunked());
        assertTrue(o.data().sequences().stream().allMatch(s -> s.length <= 16));
    }

    @Test
    void refusesAnOutputFolderHoldingAnotherModelOrRun() throws Exception {
        Path d = data("the man is a doctor .", "the woman is a nurse .");
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> FineTuneJob.run(spec(d, parent, cfg(), TrainingData.LongText.ERROR), p -> {}));
        assertTrue(e.getMessage().contains("holds another model"), e.getMessage());
        Path out = dir.resolve("run");
        FineTuneJob.run(spec(d, out, cfg(), TrainingData.LongText.ERROR), p -> {});
        TrainConfig other = TrainConfig.of(2, 2, 1, 2e-3, 0.1, 0.01, 1.0, 0.15, 0.1, 16, 7, 2);
        InvalidInputException e2 = assertThrows(
                InvalidInputException.class,
                () -> FineTuneJob.run(spec(d, out, other, TrainingData.LongText.ERROR), p -> {}));
        assertTrue(e2.getMessage().contains("another fine-tuning run"), e2.getMessage());
    }

    @Test
    void rejectsOutOfRangeHyperParametersNamingTheOption() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> TrainConfig.of(5, 8, 1, 2.0, 0.1, 0.01, 1.0, 0.15, 0.1, 128, 1, 10));
        assertTrue(e.getMessage().startsWith("--lr 2.0"), e.getMessage());
        assertThrows(
                InvalidInputException.class, () -> TrainConfig.of(0, 8, 1, 1e-5, 0.1, 0.01, 1, 0.15, 0.1, 128, 1, 1));
        assertThrows(
                InvalidInputException.class, () -> TrainConfig.of(1, 8, 1, 1e-5, 1.0, 0.01, 1, 0.15, 0.1, 128, 1, 1));
        assertThrows(
                InvalidInputException.class, () -> TrainConfig.of(1, 8, 1, 1e-5, 0.1, 0.01, 0, 0.15, 0.1, 128, 1, 1));
        assertThrows(
                InvalidInputException.class, () -> TrainConfig.of(1, 8, 1, 1e-5, 0.1, 0.01, 1, 1.5, 0.1, 128, 1, 1));
    }

    @Test
    void rejectsAMaximumLengthAboveTheModels() throws Exception {
        Path d = data("the man is a doctor .");
        TrainConfig big = TrainConfig.of(1, 2, 1, 1e-3, 0.1, 0.01, 1.0, 0.15, 0.1, 64, 7, 2);
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> FineTuneJob.run(spec(d, dir.resolve("o"), big, TrainingData.LongText.ERROR), p -> {}));
        assertTrue(e.getMessage().contains("32 positions"), e.getMessage());
    }
}
