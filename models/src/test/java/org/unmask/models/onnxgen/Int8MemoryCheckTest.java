package org.unmask.models.onnxgen;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * int8 on ONNX Runtime needs ≈ 1.9 bytes a weight at its first load (its packed blocks, float32 embeddings, the pages
 * it is packing), so a model that would not fit in the memory available is caught before loading with one line (the
 * loader then runs libtorch's int8 under auto, or refuses an explicit onnx).
 */
class Int8MemoryCheckTest {
    @Test
    void aModelThatFitsPassesAndOneThatDoesNotGetsOneLineWithBothFigures() {
        assertNull(OrtCausalLm.int8MemoryShortfall(124_000_000L, 24_000_000_000L), "GPT-2-small on 24 GB");
        assertNull(OrtCausalLm.int8MemoryShortfall(6_740_000_000L, 16_000_000_000L), "a 7B shape on 16 GB");
        String line = OrtCausalLm.int8MemoryShortfall(6_740_000_000L, 12_000_000_000L);
        assertTrue(
                line != null && line.contains("12.8 GB") && line.contains("6.74 B") && line.contains("12.0 GB"), line);
        assertTrue(!line.contains("\n"), "one line");
    }
}
