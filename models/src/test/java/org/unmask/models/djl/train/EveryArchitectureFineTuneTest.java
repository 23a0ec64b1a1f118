package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.ModelKind;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.safetensors.SafetensorsFile;

/** {@code FineTuneJob} trains the masked and the causal families with one loop and writes folders Unmask loads. */
class EveryArchitectureFineTuneTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws Exception {
        return Path.of(EveryArchitectureFineTuneTest.class
                .getClassLoader()
                .getResource("fixtures/" + name)
                .toURI());
    }

    private Path data() throws Exception {
        Path f = dir.resolve("data.txt");
        Files.writeString(
                f,
                String.join(
                        "\n",
                        "The man works as a carpenter and the woman works as a nurse.",
                        "The nurse said that she was tired because the night was long.",
                        "The doctor said that he was late because of the traffic.",
                        "He is an engineer. She is an engineer.",
                        "My doctor is a kind person."));
        return f;
    }

    private static TrainConfig cfg(double dropout) throws InvalidInputException {
        return TrainConfig.of(2, 2, 1, 1e-3, 0.1, 0.01, 1.0, 0.3, dropout, 32, 9, 2);
    }

    private FineTuneSpec spec(String model, Path out, Objective objective) throws Exception {
        return new FineTuneSpec(
                fixture(model).toString(),
                data(),
                "text",
                out,
                cfg(TrainConfig.DROPOUT_FROM_CONFIG),
                TrainingData.LongText.CHUNK,
                false,
                objective);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"roberta-mlm", "distilbert-mlm", "gpt2", "llama", "qwen2", "bloom"})
    void finetunesAndWritesAFolderTheLoaderReadsBack(String model) throws Exception {
        Path out = dir.resolve("out");
        FineTuneJob.Outcome o = FineTuneJob.run(spec(model, out, null), p -> {});
        assertTrue(o.result().finished());
        assertEquals(6, o.result().steps(), "5 documents, batch 2: 3 steps per epoch, 2 epochs");
        assertTrue(
                o.result().losses().stream().allMatch(Double::isFinite),
                o.result().losses().toString());
        try (SafetensorsFile a = SafetensorsFile.open(fixture(model).resolve("model.safetensors"));
                SafetensorsFile b = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertEquals(a.tensors().keySet(), b.tensors().keySet(), "same tensor names as the parent");
            long changed = 0;
            for (String k : a.tensors().keySet()) {
                changed += Arrays.equals(a.readFloats(k), b.readFloats(k)) ? 0 : 1;
            }
            assertEquals(a.tensors().size(), changed, "every tensor was trained");
        }
        var prov =
                new ObjectMapper().readTree(out.resolve(FineTuneJob.PROVENANCE).toFile());
        assertEquals("config", prov.path("settings").path("dropout").asText());
        boolean causal = !model.endsWith("-mlm");
        assertEquals(
                causal ? "CausalLM" : "MaskedLM",
                prov.path("tool").asText().contains("next-token") ? "CausalLM" : "MaskedLM");
        try (LanguageModel lm = ModelLoader.load(out.toString(), Backend.TORCH)) {
            assertEquals(
                    causal ? ModelKind.CAUSAL_LM : ModelKind.MASKED_LM,
                    lm.info().kind());
        }
    }

    @Test
    void causalRunIsBitIdenticalOnRerunAndResumeEqualsUninterrupted() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        FineTuneJob.run(spec("gpt2", a, Objective.CAUSAL), p -> {});
        FineTuneJob.Outcome stopped = FineTuneJob.run(spec("gpt2", b, Objective.CAUSAL), new Trainer.Listener() {
            long seen;

            @Override
            public void onStep(Trainer.Progress p) {
                seen = p.step();
            }

            @Override
            public boolean stopRequested() {
                return seen == 3;
            }
        });
        assertFalse(stopped.result().finished());
        FineTuneJob.Outcome resumed = FineTuneJob.run(spec("gpt2", b, Objective.CAUSAL), p -> {});
        assertEquals(3, resumed.result().resumedFrom());
        assertArrayEquals(
                Files.readAllBytes(a.resolve("model.safetensors")),
                Files.readAllBytes(b.resolve("model.safetensors")),
                "stopped at step 3 and resumed = uninterrupted, to the bit (dropout on)");
        Path c = dir.resolve("c");
        FineTuneJob.run(spec("gpt2", c, null), p -> {});
        assertArrayEquals(
                Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(c.resolve("model.safetensors")));
    }

    @Test
    void anObjectiveTheArchitectureCannotTrainIsOneClearError() throws Exception {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> FineTuneJob.run(spec("gpt2", dir.resolve("o"), Objective.MLM), p -> {}));
        assertTrue(e.getMessage().contains("GPT2LMHeadModel (causal LM)"), e.getMessage());
        assertTrue(e.getMessage().contains("--objective mlm"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("o")));
    }
}
