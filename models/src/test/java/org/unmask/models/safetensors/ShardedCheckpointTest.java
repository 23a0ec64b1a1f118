package org.unmask.models.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;

class ShardedCheckpointTest {
    @TempDir
    Path dir;

    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    private static void shard(Path file, String name, float... values) throws IOException {
        try (SafetensorsWriter w = SafetensorsWriter.create(
                file, List.of(new TensorSpec(name, DType.F32, new long[] {values.length})), Map.of())) {
            w.writeFloats(name, values);
            w.commit();
        }
    }

    @BeforeEach
    void writeShards() throws IOException {
        shard(dir.resolve(SHARD1), "embed.weight", 1f, 2f);
        shard(dir.resolve(SHARD2), "head.weight", 3f, 4f, 5f);
    }

    private void index(String json) throws IOException {
        Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), json);
    }

    @Test
    void indexUnifiesTensorsAcrossShards() throws Exception {
        index("{\"metadata\":{\"total_size\":20},\"weight_map\":{\"embed.weight\":\"" + SHARD1 + "\",\"head.weight\":\""
                + SHARD2 + "\"}}");
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(dir)) {
            assertEquals(Set.of("embed.weight", "head.weight"), ckpt.tensors().keySet());
            assertEquals(2, ckpt.files().size());
            assertArrayEquals(new float[] {1f, 2f}, ckpt.readFloats("embed.weight"));
            assertArrayEquals(new float[] {3f, 4f, 5f}, ckpt.readFloats("head.weight"));
            assertEquals(dir.resolve(SHARD2), ckpt.fileOf("head.weight").path());
            assertArrayEquals(new long[] {3}, ckpt.tensor("head.weight").shape());
            ModelException e = assertThrows(ModelException.class, () -> ckpt.readFloats("pooler.weight"));
            assertTrue(e.getMessage().contains("no tensor named 'pooler.weight'"));
        }
    }

    @Test
    void missingShardIsNamed() throws IOException {
        Files.delete(dir.resolve(SHARD2));
        index("{\"weight_map\":{\"embed.weight\":\"" + SHARD1 + "\",\"head.weight\":\"" + SHARD2 + "\"}}");
        ModelException e = assertThrows(ModelException.class, () -> ShardedCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("missing shard " + SHARD2), e.getMessage());
        assertTrue(e.hint().contains("download"), e.hint());
    }

    @Test
    void indexPromisingATensorTheShardLacksIsAnError() throws IOException {
        index("{\"weight_map\":{\"embed.weight\":\"" + SHARD2 + "\"}}");
        ModelException e = assertThrows(ModelException.class, () -> ShardedCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("places tensor 'embed.weight' in " + SHARD2), e.getMessage());
    }

    @Test
    void malformedIndexOrEscapingShardNamesAreRejected() throws IOException {
        index("{\"weight_map\":{}}");
        assertTrue(assertThrows(ModelException.class, () -> ShardedCheckpoint.open(dir))
                .getMessage()
                .contains("'weight_map' is missing, empty"));
        index("{\"weight_map\":{\"embed.weight\":\"../" + SHARD1 + "\"}}");
        assertTrue(assertThrows(ModelException.class, () -> ShardedCheckpoint.open(dir))
                .getMessage()
                .contains("points outside the model folder"));
    }

    @Test
    void singleFileAndNoWeightsCases() throws Exception {
        Path single = Files.createDirectories(dir.resolve("single"));
        shard(single.resolve(ShardedCheckpoint.SINGLE_FILE), "w", 7f);
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(single)) {
            assertArrayEquals(new float[] {7f}, ckpt.readFloats("w"));
        }
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ModelException e = assertThrows(ModelException.class, () -> ShardedCheckpoint.open(empty));
        assertTrue(e.getMessage().contains("no safetensors weights in " + empty), e.getMessage());
    }
}
