package org.unmask.models.safetensors;

/**
 * The 16-bit float formats (IEEE 754 binary16 and bfloat16) to and from {@code float}, rounding to nearest even;
 * JDK 17 has neither.
 */
public final class HalfPrecision {
    /** The largest finite binary16 value. */
    public static final float F16_MAX = 65504f;

    private HalfPrecision() {}

    /** IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits) to float, exact for every input incl. subnormals. */
    public static float f16ToFloat(short bits) {
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
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** {@code x} rounded to the nearest bfloat16 (ties to even), as a float; x must be finite. */
    public static float roundToBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xffff0000);
    }

    /**
     * The binary16 nearest to {@code x} (ties to even; subnormals kept, magnitudes beyond {@link #F16_MAX} become
     * infinity, NaN stays NaN). Exact for every bfloat16 value of magnitude 2^-14 to 65280.
     */
    public static short floatToF16(float x) {
        int bits = Float.floatToRawIntBits(x);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 112; // binary16 biased exponent
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal
            }
            int full = mant | 0x800000;
            int shift = 14 - e; // to units of 2^-24, the binary16 subnormal step
            int rounded = (full + (1 << (shift - 1)) - 1 + ((full >>> shift) & 1)) >>> shift;
            return (short) (sign | rounded); // a carry into 0x400 is the smallest normal, correctly encoded
        }
        int v = (e << 23) | mant;
        int rounded = (v + 0xfff + ((v >>> 13) & 1)) >>> 13; // a mantissa carry moves into the exponent
        return (short) (sign | Math.min(rounded, 0x7c00));
    }
}
