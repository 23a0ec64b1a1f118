package org.unmask.models.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;

class SafetensorsWriterTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripPreservesNamesShapesValuesAndMetadata() throws Exception {
        Random random = new Random(7);
        float[] w = new float[3 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        float[] scalar = {42.5f};
        Path file = tmp.resolve("model.safetensors");
        List<TensorSpec> specs = List.of(
                new TensorSpec("layer.weight", DType.F32, new long[] {3, 5}),
                new TensorSpec("empty", DType.F32, new long[] {0, 4}),
                new TensorSpec("half", DType.BF16, new long[] {2}),
                new TensorSpec("scale", DType.F32, new long[0]));
        SafetensorsWriter.Written written;
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, specs, Map.of("source", "test"))) {
            writer.writeFloats("layer.weight", w);
            writer.writeFloats("empty", new float[0]);
            writer.write(
                    "half",
                    ByteBuffer.allocate(4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putShort((short) 0x3F80)
                            .putShort((short) 0xC0A0)
                            .flip());
            writer.writeFloats("scale", scalar);
            written = writer.commit();
        }
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(bytes.length, written.size());
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), written.sha256());
        long headerLength =
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to a multiple of 8");
        assertEquals(' ', bytes[(int) (8 + headerLength - 1)], "padding is spaces");

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(
                    List.of("layer.weight", "empty", "half", "scale"),
                    List.copyOf(st.tensors().keySet()));
            assertEquals(Map.of("format", "pt", "source", "test"), st.metadata());
            assertArrayEquals(new long[] {3, 5}, st.tensor("layer.weight").shape());
            assertArrayEquals(w, st.readFloats("layer.weight"));
            assertEquals(0, st.readFloats("empty").length);
            assertArrayEquals(new float[] {1f, -5f}, st.readFloats("half"));
            assertArrayEquals(scalar, st.readFloats("scale"));
            ByteBuffer view = st.buffer("layer.weight");
            assertEquals(ByteOrder.LITTLE_ENDIAN, view.order());
            assertTrue(view.isDirect() && view.isReadOnly(), "zero-copy read-only mapping");
            assertEquals(w[7], view.getFloat(7 * 4));
            assertEquals(8 + headerLength, st.tensor("layer.weight").offset());
        }
    }

    @Test
    void abandonedWriterLeavesNothingBehind() throws IOException {
        Path file = tmp.resolve("model.safetensors");
        try (SafetensorsWriter writer =
                SafetensorsWriter.create(file, List.of(new TensorSpec("a", DType.F32, new long[] {2})), Map.of())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, writer::commit);
            assertTrue(e.getMessage().contains("'a'"));
        }
        assertFalse(Files.exists(file));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.count(), "temp file deleted");
        }
    }

    @Test
    void tensorsMustComeInDeclaredOrderWithTheirExactSize() throws IOException {
        Path file = tmp.resolve("model.safetensors");
        try (SafetensorsWriter writer = SafetensorsWriter.create(
                file,
                List.of(new TensorSpec("a", DType.F32, new long[] {2}), new TensorSpec("b", DType.F32, new long[] {1})),
                Map.of())) {
            assertThrows(IllegalStateException.class, () -> writer.writeFloats("b", new float[1]));
            assertThrows(IllegalArgumentException.class, () -> writer.writeFloats("a", new float[3]));
            writer.writeFloats("a", new float[2]);
            assertEquals("b", writer.nextName());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> SafetensorsWriter.create(
                        file,
                        List.of(
                                new TensorSpec("a", DType.F32, new long[] {2}),
                                new TensorSpec("a", DType.F32, new long[] {1})),
                        Map.of()));
    }

    @Test
    void commitReplacesAnExistingFileAtomically() throws Exception {
        Path file = Files.writeString(tmp.resolve("model.safetensors"), "old content");
        try (SafetensorsWriter writer =
                SafetensorsWriter.create(file, List.of(new TensorSpec("a", DType.F32, new long[] {1})), Map.of())) {
            assertEquals("old content", Files.readString(file), "target untouched until commit");
            writer.writeFloats("a", new float[] {3f});
            writer.commit();
        }
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {3f}, st.readFloats("a"));
        }
    }
}
