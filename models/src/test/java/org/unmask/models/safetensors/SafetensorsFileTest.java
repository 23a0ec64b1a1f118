package org.unmask.models.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.ModelException;

class SafetensorsFileTest {
    @TempDir
    Path tmp;

    /** A file with the given raw header length field, header text and data bytes. */
    private Path raw(long headerLength, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(json);
        return Files.write(tmp.resolve("bad.safetensors"), b.array());
    }

    private Path withHeader(String header, int dataBytes) throws IOException {
        return raw(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    private ModelException rejected(Path file) {
        ModelException e = assertThrows(
                ModelException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), "names the file: " + e.getMessage());
        assertTrue(e.hint().contains("re-download"), e.hint());
        assertEquals(1, e.getMessage().lines().count(), "one line");
        return e;
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        ModelException e = rejected(raw(1000, "{}", 0));
        assertTrue(
                e.getMessage().contains("header length 1000 runs past the end of the file (10 bytes)"), e.getMessage());
    }

    @Test
    void implausibleHeaderLengthIsRejected() throws IOException {
        assertTrue(rejected(raw(-1L, "{}", 0)).getMessage().contains("header length 18446744073709551615 is not"));
        assertTrue(rejected(raw(0, "", 0)).getMessage().contains("not plausible"));
    }

    @Test
    void tooShortFileIsRejected() throws IOException {
        Path file = Files.write(tmp.resolve("short.safetensors"), new byte[] {1, 2, 3});
        assertTrue(rejected(file).getMessage().contains("only 3 bytes"));
    }

    @Test
    void invalidJsonIsRejected() throws IOException {
        assertTrue(rejected(withHeader("{\"a\": {\"dtype\": ", 0)).getMessage().contains("not valid JSON"));
        assertTrue(rejected(withHeader("[1, 2]  ", 0)).getMessage().contains("not a JSON object"));
        assertTrue(rejected(withHeader("{\"a\":1,\"a\":2}", 0)).getMessage().contains("Duplicate field 'a'"));
    }

    @Test
    void wrongByteSizeIsRejectedNamingTheTensor() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}";
        ModelException e = rejected(withHeader(h, 24));
        assertTrue(
                e.getMessage().contains("tensor 'w': data_offsets cover 20 bytes but F32 [2, 3] needs 24"),
                e.getMessage());
    }

    @Test
    void truncatedDataIsRejected() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F16\",\"shape\":[8],\"data_offsets\":[0,16]}}";
        ModelException e = rejected(withHeader(h, 10));
        assertTrue(
                e.getMessage()
                        .contains(
                                "tensor 'w': data_offsets [0,16] run past the end of the data region " + "(10 bytes)"),
                e.getMessage());
    }

    @Test
    void unknownDtypeIsRejected() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}";
        Path file = withHeader(h, 4);
        ModelException e = assertThrows(ModelException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("tensor 'w' has unsupported dtype 'F8_E4M3'"), e.getMessage());
        assertTrue(e.hint().contains("F32, F16, BF16"), e.hint());
    }

    @Test
    void malformedFieldsAreRejected() throws IOException {
        assertTrue(rejected(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0))
                .getMessage()
                .contains("shape[0] = -1 is not a non-negative integer"));
        assertTrue(rejected(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4))
                .getMessage()
                .contains("field 'data_offsets' is missing"));
        assertTrue(rejected(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4))
                .getMessage()
                .contains("end before they begin"));
        assertTrue(rejected(withHeader("{\"__metadata__\":{\"format\":7}}", 0))
                .getMessage()
                .contains("__metadata__.format is not a string"));
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertTrue(rejected(withHeader(h, 12)).getMessage().contains("tensors 'a' and 'b' overlap"));
    }

    @Test
    void decodesF16AndBf16ToHandComputedValues() throws IOException, ModelException {
        short[] f16 = {
            0x3C00, (short) 0xC000, 0x3555, 0x7BFF, 0x0001, 0x0400, 0x7C00, (short) 0xFC00, (short) 0x8000, 0x7E00
        };
        float[] f16Expected = {
            1.0f,
            -2.0f,
            0.333251953125f,
            65504f,
            5.9604644775390625e-8f,
            6.103515625e-5f,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            -0.0f,
            Float.NaN
        };
        short[] bf16 = {0x3F80, (short) 0xC0A0, 0x3EAB, 0x7F80, 0x0001};
        float[] bf16Expected = {1.0f, -5.0f, 0.333984375f, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x10000)};
        String h = "{\"h\":{\"dtype\":\"F16\",\"shape\":[10],\"data_offsets\":[0,20]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[20,30]}}";
        byte[] json = h.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 30).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        for (short s : f16) {
            buf.putShort(s);
        }
        for (short s : bf16) {
            buf.putShort(s);
        }
        Path file = Files.write(tmp.resolve("half.safetensors"), buf.array());
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertArrayEquals(f16Expected, st.readFloats("h"));
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(st.readFloats("h")[8]));
            assertArrayEquals(bf16Expected, st.readFloats("b"));
            for (long window : new long[] {1, 2, 6, 7, 1 << 20}) {
                assertArrayEquals(f16Expected, st.readFloats("h", window), "window " + window);
            }
        }
    }

    @Test
    void everyF16BitPatternDecodesLikeTheReferenceFormula() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int exp = (bits >>> 10) & 0x1f;
            int mant = bits & 0x3ff;
            double sign = (bits & 0x8000) != 0 ? -1 : 1;
            float actual = HalfPrecision.f16ToFloat((short) bits);
            if (exp == 0x1f) {
                assertTrue(mant == 0 ? Float.isInfinite(actual) : Float.isNaN(actual));
                continue;
            }
            double expected =
                    exp == 0 ? sign * mant * Math.pow(2, -24) : sign * (1 + mant / 1024.0) * Math.pow(2, exp - 15);
            assertEquals((float) expected, actual, "bits " + Integer.toHexString(bits));
        }
    }

    @Test
    void integerTensorsReadAsLongsAndNotAsFloats() throws IOException, ModelException {
        Path file = tmp.resolve("ids.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(
                file,
                java.util.List.of(new SafetensorsWriter.TensorSpec("position_ids", DType.I64, new long[] {1, 3})),
                java.util.Map.of())) {
            ByteBuffer b = ByteBuffer.allocate(24)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(0)
                    .putLong(1)
                    .putLong(-2);
            w.write("position_ids", b.flip());
            w.commit();
        }
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertArrayEquals(new long[] {0, 1, -2}, st.readLongs("position_ids"));
            ModelException e = assertThrows(ModelException.class, () -> st.readFloats("position_ids"));
            assertTrue(e.getMessage().contains("not a floating-point type"));
            ModelException missing = assertThrows(ModelException.class, () -> st.readFloats("nope"));
            assertTrue(missing.getMessage().contains("has no tensor named 'nope'"));
        }
    }
}
