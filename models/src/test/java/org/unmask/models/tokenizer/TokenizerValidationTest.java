package org.unmask.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.fixtures.FixtureCopies;

/**
 * tokenizer.json ids must index the model's embedding matrix: a negative id, one past the vocabulary or a huge one is
 * a one-line {@link ModelException} naming the token, before anything is allocated for it.
 */
class TokenizerValidationTest {
    @TempDir
    Path tmp;

    private Path withTokenizer(Consumer<ObjectNode> edit) throws Exception {
        Path dir = FixtureCopies.copy("bert-mlm", tmp.resolve("m" + System.nanoTime()));
        FixtureCopies.editJson(dir.resolve("tokenizer.json"), edit);
        return dir;
    }

    private static ObjectNode vocab(ObjectNode root) {
        return (ObjectNode) root.path("model").path("vocab");
    }

    private ModelException loadFails(Path dir, String... mentions) {
        ModelException e = assertThrows(
                ModelException.class,
                () -> ModelLoader.load("m", dir, Map.of(), Backend.TORCH, tmp.resolve("cache"))
                        .close());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "\"" + m + "\" not in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void aNegativeVocabularyIdIsAnErrorNamingTheToken() throws Exception {
        loadFails(withTokenizer(t -> vocab(t).put("nurse", -5)), "\"nurse\"", "-5", "[0, 162)");
    }

    @Test
    void aHugeVocabularyIdIsAnErrorWithoutAllocatingForIt() throws Exception {
        Path dir = withTokenizer(t -> vocab(t).put("nurse", 2_000_000_000));
        // an id table for 2e9 ids would need gigabytes and seconds; the check comes first
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> loadFails(dir, "\"nurse\"", "2000000000"));
        assertThrows(ModelException.class, () -> HfTokenizer.load(dir).close());
    }

    @Test
    void anIdJustPastTheModelsVocabularyIsAnError() throws Exception {
        loadFails(withTokenizer(t -> vocab(t).put("nurse", 162)), "162");
    }

    @Test
    void anAddedTokenOutsideTheVocabularyIsAnError() throws Exception {
        loadFails(
                withTokenizer(t -> ((ObjectNode) t.withArray("added_tokens").get(0)).put("id", 500)),
                "added_tokens",
                "500");
    }

    @Test
    void aNonIntegerIdIsAnError() throws Exception {
        loadFails(withTokenizer(t -> vocab(t).put("nurse", "seven")), "\"nurse\"", "not an integer");
        loadFails(withTokenizer(t -> vocab(t).put("nurse", 3.5)), "\"nurse\"");
    }

    @Test
    void theFixturesTokenizerStillLoadsWithinItsVocabulary() throws Exception {
        try (HfTokenizer tok = HfTokenizer.load(FixtureCopies.fixture("bert-mlm"), 162)) {
            assertEquals(162, tok.vocabularySize());
        }
    }
}
