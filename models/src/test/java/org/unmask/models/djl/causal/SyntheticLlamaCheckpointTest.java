package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.Precision;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.ShardedCheckpoint;

/** The memory benchmark's plumbing on a tiny shape: the streamed BF16 checkpoint, its reuse, and the RSS report. */
class SyntheticLlamaCheckpointTest {
    @TempDir
    Path root;

    @Test
    void writesAShardedBf16CheckpointThatLoadsAndScoresInEveryPrecision() throws Exception {
        SyntheticLlamaCheckpoint.Shape s = SyntheticLlamaCheckpoint.Shape.TINY;
        Path dir = SyntheticLlamaCheckpoint.ensure(root, s, 3, 40_000); // small shards: several files
        assertTrue(SyntheticLlamaCheckpoint.isComplete(dir));
        try (ShardedCheckpoint c = ShardedCheckpoint.open(dir)) {
            assertTrue(c.files().size() > 1, "sharded");
            assertEquals(s.tensors().keySet(), c.tensors().keySet());
            assertTrue(c.tensors().values().stream().allMatch(t -> t.dtype() == DType.BF16));
            assertEquals(
                    s.bf16Bytes(),
                    c.tensors().values().stream().mapToLong(t -> t.byteLength()).sum());
        }
        long written = Files.getLastModifiedTime(dir.resolve("config.json")).toMillis();
        assertEquals(dir, SyntheticLlamaCheckpoint.ensure(root, s, 3, 40_000));
        assertEquals(
                written, Files.getLastModifiedTime(dir.resolve("config.json")).toMillis(), "reused, not rewritten");
        int[] ids = {5, 6, 7, 8};
        List<LogProbQuery> q = List.of(new LogProbQuery(ids, List.of(new Read(3, 3, new int[] {0}))));
        for (Precision p : Precision.values()) {
            try (CausalLm lm = (CausalLm) ModelLoader.load("tiny", dir, Map.of(), Backend.TORCH, root, p)) {
                assertEquals(p, lm.precision());
                assertEquals(3, lm.score(q).get(0).get(0).topIds().length);
            }
        }
    }

    @Test
    void aDiskTooSmallIsInvalidInputSayingHowMuchIsNeeded() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> SyntheticLlamaCheckpoint.requireSpace(root, 13_500_000_000L, 5_000_000_000L));
        assertTrue(e.getMessage().contains("13.5 GB"), e.getMessage());
        assertTrue(e.getMessage().contains("5.0 GB free"), e.getMessage());
    }

    @Test
    void theMemoryRowReportsThePeakResidentSetAgainstTheBudget() {
        StringWriter text = new StringWriter();
        CausalPerf.Point p = CausalPerf.memory("after loading", 16e9, new PrintWriter(text, true));
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue(p.rate() > 0.01 && p.rate() < 16, "peak GB " + p.rate());
            assertEquals(p.rate() / 16, p.ratio(), 1e-9);
            assertTrue(text.toString().contains("of the 16.0 GB budget"), text.toString());
        } else {
            assertTrue(text.toString().contains("unknown"), text.toString());
        }
    }
}
