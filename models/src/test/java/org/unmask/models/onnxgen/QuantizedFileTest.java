package org.unmask.models.onnxgen;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.ModelException;

/**
 * The layout of the quantised-weights file (every array aligned, the length ending at the last one) and the one-line
 * refusal when the disk has no room; that ONNX Runtime reads it, that a complete file is reused and a cut one rebuilt
 * is shown on real sessions in {@code OrtCausalLmTest}.
 */
class QuantizedFileTest {
    @Test
    void everyArrayStartsAlignedAndTheLengthEndsAtTheLastScales() {
        GraphExport.Quantized a = matrix("a", 96, 64); // blob 96 x 2 x 32 = 6144 B, scales 96 x 2 x 4 = 768 B
        GraphExport.Quantized b = matrix("b", 40, 33); // k padded to 2 blocks: blob 2560 B, scales 320 B
        long aScales = QuantizedFile.ALIGN;
        long bBlob = 2 * QuantizedFile.ALIGN;
        long bScales = 3 * QuantizedFile.ALIGN;
        assertEquals(aScales, QuantizedFile.align(a.blobBytes()));
        assertEquals(bBlob, QuantizedFile.align(aScales + a.scalesBytes()));
        assertEquals(bScales, QuantizedFile.align(bBlob + b.blobBytes()));
        assertEquals(bScales + 320, QuantizedFile.length(List.of(a, b)));
        assertEquals(6144, a.blobBytes());
        assertEquals(2560, b.blobBytes());
        assertEquals(0, QuantizedFile.length(List.of()));
    }

    @Test
    void aDiskWithoutRoomGetsOneLineNamingBothSizes() {
        Path dir = Path.of("/cache/onnx/decoder-g4-int8-k");
        ModelException e = assertThrows(
                ModelException.class, () -> QuantizedFile.requireRoom(7_430_000_000L, 2_000_000_000L, dir));
        assertTrue(e.getMessage().contains("7.43 GB") && e.getMessage().contains("2.00 GB"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertDoesNotThrow(() -> QuantizedFile.requireRoom(7_430_000_000L, 7_430_000_000L, dir));
    }

    private static GraphExport.Quantized matrix(String name, int n, int k) {
        long[] shape = {n, k};
        GraphExport.Weight w = new GraphExport.Weight(name, Path.of("w.safetensors"), 0, 4L * n * k, shape);
        return new GraphExport.Quantized(w, false, 8, 32, name + ".q", name + ".s");
    }
}
