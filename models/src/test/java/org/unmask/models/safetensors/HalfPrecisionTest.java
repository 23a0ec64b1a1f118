package org.unmask.models.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Rounding into the 16-bit formats, against the exact decoders. */
class HalfPrecisionTest {
    @Test
    void everyFiniteFloat16SurvivesTheRoundTrip() {
        for (int bits = 0; bits < 0x10000; bits++) {
            if ((bits & 0x7c00) == 0x7c00) {
                continue; // infinities and NaNs
            }
            float f = HalfPrecision.f16ToFloat((short) bits);
            assertEquals(bits, HalfPrecision.floatToF16(f) & 0xffff, "0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void float16RoundsToNearestEvenIncludingSubnormalsAndOverflow() {
        float ulp1 = 0x1p-10f; // float16 spacing just above 1
        assertEquals(0x3c00, HalfPrecision.floatToF16(1f + ulp1 / 2) & 0xffff, "tie to even (down)");
        assertEquals(0x3c02, HalfPrecision.floatToF16(1f + 3 * ulp1 / 2) & 0xffff, "tie to even (up)");
        assertEquals(0x3c01, HalfPrecision.floatToF16(1f + ulp1 * 0.6f) & 0xffff);
        assertEquals(0x0001, HalfPrecision.floatToF16(0x1p-24f) & 0xffff, "smallest subnormal");
        assertEquals(0x0000, HalfPrecision.floatToF16(0x1p-25f) & 0xffff, "half of it ties to zero");
        assertEquals(0x0001, HalfPrecision.floatToF16(0x1.8p-25f) & 0xffff);
        assertEquals(0x0400, HalfPrecision.floatToF16(0x1.ffffffp-15f) & 0xffff, "carry into the smallest normal");
        assertEquals(0x7bff, HalfPrecision.floatToF16(65504f) & 0xffff);
        assertEquals(0x7c00, HalfPrecision.floatToF16(65520f) & 0xffff, "beyond the maximum: infinity");
        assertEquals(0x8000 | 0x3c00, HalfPrecision.floatToF16(-1f) & 0xffff);
    }

    @Test
    void bfloat16RoundingKeepsTheTopSixteenBitsToNearestEven() {
        assertEquals(1f, HalfPrecision.roundToBf16(1f + 0x1p-8f), "tie to even (down)");
        assertEquals(1f + 0x1p-6f, HalfPrecision.roundToBf16(1f + 3 * 0x1p-8f), "tie to even (up)");
        assertEquals(1f + 0x1p-7f, HalfPrecision.roundToBf16(1f + 0x1.2p-8f));
        for (int bits = 0; bits < 0x10000; bits += 7) {
            float b = HalfPrecision.bf16ToFloat((short) bits);
            if (Float.isFinite(b)) {
                assertEquals(b, HalfPrecision.roundToBf16(b), "bf16 values are fixed points");
            }
        }
    }

    @Test
    void everyBfloat16InFloat16sNormalRangeConvertsExactly() {
        for (int bits = 0; bits < 0x8000; bits++) {
            float b = HalfPrecision.bf16ToFloat((short) bits);
            if (b >= 0x1p-14f && b <= 65280f) {
                assertEquals(b, HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(b)), "bf16 0x" + bits);
            }
        }
    }
}
