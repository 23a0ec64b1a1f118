package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.safetensors.ShardedCheckpoint;

/** A tied head stays tied in training, also when an older checkpoint stores the decoder matrix separately. */
class TiedHeadTest {
    @TempDir
    Path dir;

    @Test
    void aStoredBertDecoderMatrixIsDroppedAndTheHeadTrainsWithTheEmbeddings() throws Exception {
        Path fixture = Path.of(
                getClass().getClassLoader().getResource("fixtures/bert-mlm").toURI());
        Files.copy(fixture.resolve("config.json"), dir.resolve("config.json"));
        ModelConfig c = ModelConfig.read(dir);
        Map<String, ModelInit.Tensor> t = new LinkedHashMap<>(ModelInit.fromScratch(c, 1));
        t.put("cls.predictions.decoder.weight", t.get("bert.embeddings.word_embeddings.weight"));
        ModelInit.write(dir.resolve("model.safetensors"), t, Map.of());
        try (NDManager m = DjlRuntime.newManager();
                ShardedCheckpoint ck = ShardedCheckpoint.open(dir)) {
            TrainableModel model = TrainableModels.load(m, ck, c, 0);
            assertFalse(model.all().containsKey("cls.predictions.decoder.weight"), "dropped, as HF's tie_weights");
            assertTrue(model.trainable().containsKey("bert.embeddings.word_embeddings.weight"));
            assertSame(Objective.MLM, model.objective());
            model.close();
        }
    }
}
