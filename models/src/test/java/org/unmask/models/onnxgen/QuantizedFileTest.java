package org.unmask.models.onnxgen;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.ModelException;

/**
 * The layout of the quantised-weights file (every array aligned, the length ending at the last one), the pinned bytes
 * of its quantisers (a change must bump the file's name, which keys the cache) and the one-line refusal when the disk
 * has no room; that ONNX Runtime reads it, that a complete file is reused and a cut one rebuilt
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

    @Test
    void theQuantisersStillWriteTheBytesOfLayoutV1() throws Exception {
        // cached files are trusted by name: a quantiser that writes other bytes must come with a new NAME (the name is
        // part of the graph's bytes and so of its folder's key), or old files would be served as the new layout
        int n = 48;
        int k = 80;
        float[] w = new float[n * k];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((r.nextDouble() - 0.5) * (i % 29 == 0 ? 3 : 0.1));
        }
        GraphExport.Quantized blocks = matrix("b", n, k);
        GraphExport.Weight src = blocks.source();
        GraphExport.Quantized columns =
                new GraphExport.Quantized(src, false, GraphExport.Scheme.INT8_COLUMNS, 8, k, "c", "c.s");
        String digest = sha(NBitsWeights.quantize(FloatBuffer.wrap(w), blocks)) + " "
                + sha(ColumnInt8Weights.quantize(FloatBuffer.wrap(w), columns));
        assertEquals(
                "fd32b6412b0df8ec ace459c14798538e",
                digest,
                "the quantised bytes changed: bump QuantizedFile.NAME, then update this digest");
    }

    private static String sha(NBitsWeights.Packed p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(p.blob().duplicate().clear());
        ByteBuffer scales = ByteBuffer.allocate(p.scales().capacity() * 4).order(ByteOrder.LITTLE_ENDIAN);
        scales.asFloatBuffer().put(p.scales().duplicate().clear());
        md.update(scales);
        return HexFormat.of().formatHex(md.digest(), 0, 8);
    }

    private static GraphExport.Quantized matrix(String name, int n, int k) {
        long[] shape = {n, k};
        GraphExport.Weight w = new GraphExport.Weight(name, Path.of("w.safetensors"), 0, 4L * n * k, shape);
        return new GraphExport.Quantized(w, false, 8, 32, name + ".q", name + ".s");
    }
}
