package org.unmask.models.safetensors;

/** Decoding of the 16-bit float formats (IEEE 754 binary16 and bfloat16) to {@code float}; JDK 17 has neither. */
final class HalfPrecision {
    private HalfPrecision() {}

    /** IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits) to float, exact for every input incl. subnormals. */
    static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // zero or subnormal: value = mant * 2^-24, exactly representable as float
            float magnitude = mant * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** bfloat16 is the upper half of a float32. */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
