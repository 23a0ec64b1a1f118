package org.unmask.models.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;
import org.unmask.core.testing.Mutations;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.fixtures.FixtureCopies;

/**
 * Every config.json field the architectures read is validated before any tensor code runs; a bad value is one
 * {@link ModelException} naming the field (exit 4 at the CLI), never an ArithmeticException, a native error, a
 * NullPointerException or a silently wrong model.
 */
class ConfigValidationTest {
    @TempDir
    Path tmp;

    /** Loads a copy of fixture {@code name} with {@code edit} applied to its config; expects an error naming all. */
    private ModelException loadFails(String name, Consumer<ObjectNode> edit, String... mentions) throws Exception {
        Path dir =
                FixtureCopies.editConfig(FixtureCopies.copy(name, tmp.resolve(name + "-" + System.nanoTime())), edit);
        ModelException e = assertThrows(
                ModelException.class,
                () -> ModelLoader.load("m", dir, Map.of(), Backend.TORCH, tmp.resolve("cache"))
                        .close());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "\"" + m + "\" not in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void zeroAttentionHeadsIsAnErrorNamingTheField() throws Exception {
        loadFails("bert-mlm", c -> c.put("num_attention_heads", 0), "num_attention_heads", "0");
    }

    @Test
    void negativeAttentionHeadsIsAnErrorNamingTheField() throws Exception {
        loadFails("bert-mlm", c -> c.put("num_attention_heads", -12), "num_attention_heads", "-12");
    }

    @Test
    void headsThatDoNotDivideTheHiddenSizeAreAnError() throws Exception {
        loadFails("bert-mlm", c -> c.put("num_attention_heads", 5), "num_attention_heads", "hidden_size");
    }

    @Test
    void aVocabularySizeThatDisagreesWithTheEmbeddingMatrixIsAnError() throws Exception {
        loadFails("bert-mlm", c -> c.put("vocab_size", 100), "vocab_size", "word_embeddings", "[162, 64]");
    }

    @Test
    void aHiddenSizeThatDisagreesWithTheWeightsIsAnError() throws Exception {
        loadFails("bert-mlm", c -> c.put("hidden_size", 32), "hidden_size", "[162, 32]");
    }

    @Test
    void anIntermediateSizeThatDisagreesWithTheWeightsIsAnError() throws Exception {
        loadFails("distilbert-mlm", c -> c.put("hidden_dim", 95), "hidden_dim", "lin1");
    }

    @Test
    void moreLayersThanTheCheckpointHoldsIsAnError() throws Exception {
        loadFails("bert-mlm", c -> c.put("num_hidden_layers", 3), "num_hidden_layers", "3", "2 layers");
    }

    @Test
    void aHugeLayerCountIsRejectedBeforeAnythingIsAllocated() throws Exception {
        loadFails("bert-mlm", c -> c.put("num_hidden_layers", 2_000_000_000), "num_hidden_layers");
    }

    @Test
    void nonIntegerAndWrongTypeFieldsAreErrors() throws Exception {
        loadFails("bert-mlm", c -> c.put("hidden_size", 64.5), "hidden_size", "not an integer");
        loadFails("bert-mlm", c -> c.put("hidden_size", "64"), "hidden_size");
        loadFails("bert-mlm", c -> c.putArray("vocab_size"), "vocab_size");
        loadFails("bert-mlm", c -> c.put("pad_token_id", 162), "pad_token_id");
    }

    @Test
    void aZeroOrInfiniteEpsilonIsAnError() throws Exception {
        loadFails("bert-mlm", c -> c.put("layer_norm_eps", 0), "layer_norm_eps");
        loadFails("bert-mlm", c -> c.put("layer_norm_eps", Double.POSITIVE_INFINITY), "layer_norm_eps");
    }

    @Test
    void causalConfigsAreValidatedToo() throws Exception {
        loadFails("llama", c -> c.put("num_key_value_heads", 3), "num_key_value_heads");
        loadFails("llama", c -> c.put("num_attention_heads", 0), "num_attention_heads");
        loadFails("llama", c -> c.put("intermediate_size", 7), "intermediate_size", "gate_proj");
        loadFails("llama", c -> c.put("num_hidden_layers", 7), "num_hidden_layers");
        loadFails("gpt2", c -> c.put("n_head", -12), "n_head");
        loadFails("gpt2", c -> c.put("vocab_size", 100), "vocab_size", "wte");
        loadFails("gpt2", c -> c.put("eos_token_id", 5000), "eos_token_id");
        loadFails("bloom", c -> c.put("n_head", 0), "n_head");
        loadFails(
                "llama3-rope-scaling",
                c -> ((ObjectNode) c.get("rope_scaling")).put("high_freq_factor", 1.0),
                "high_freq_factor");
        loadFails("llama", c -> c.put("rms_norm_eps", -1), "rms_norm_eps");
    }

    @Test
    void aDeeplyNestedConfigIsACleanErrorNotAStackOverflow() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("deep"));
        Files.writeString(dir.resolve("config.json"), "{\"a\":" + Mutations.nested("[", "]", 5000) + "}");
        ModelException e = assertThrows(ModelException.class, () -> ModelConfig.read(dir));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), Mutations.nested("{\"a\":", "}", 5000));
        assertThrows(ModelException.class, () -> ModelConfig.read(dir));
    }

    @Test
    void theRealFixturesStillValidate() throws Exception {
        for (String f : new String[] {"bert-mlm", "distilbert-mlm", "roberta-mlm"}) {
            BertConfig.from(ModelConfig.read(FixtureCopies.fixture(f)));
        }
    }
}
