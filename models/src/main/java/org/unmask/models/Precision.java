package org.unmask.models;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a causal LM's weight matrices are held in memory. On ONNX Runtime (fp32 and int8, {@code DecoderOnnxExport})
 * int8 is ONNX Runtime's {@code MatMulNBits}: blocks of 32 weights share a float scale and the products run in int8
 * with each block of activations quantised too; the rest of this comment is about libtorch, which holds every mode.
 * Norm weights, biases, the KV cache, residual stream, norms, softmax and log-probabilities stay float32 in every
 * mode.
 *
 * <p>DJL 0.35.1 cannot hold a bfloat16 tensor at all: its JNI maps only float32/64, float16, (u)int8, int32,
 * int64, bool and complex64, and any {@code DataType.BFLOAT16} (creating an array, {@code toType}) reaches a bare
 * {@code throw;} that terminates the JVM. So {@link #BF16} rounds each weight to bfloat16 and holds it as the
 * float16 of the same value (exact for magnitudes 2^-14 to 65280, the range of real weights; smaller ones are
 * binary16 subnormals, off by at most 2^-25), and its matrix products run in libtorch's float16 GEMM.
 *
 * <p>The error bounds are those {@code ReducedPrecisionTest} checks against FP32 on every causal parity fixture
 * (12 tiny random models, 516 positions; measured: bf16 max |delta log-prob| 0.18 over every vocabulary entry,
 * 0.012 on the fixture already stored in bf16, top-1 agreement 0.996; int8 0.75 and 0.936 on libtorch, 0.73 and
 * 0.959 on ONNX Runtime). They are not negligible, so fp32 stays the default; the bounds go into provenance. Real
 * checkpoints may differ more.
 */
public enum Precision {
    /** float32 weights and arithmetic: the reference, and the default. */
    FP32("fp32", 0, 1),
    /** bfloat16-rounded weights held as float16 (2 bytes a parameter), float16 matrix products. */
    BF16("bf16", 0.25, 0.99),
    /**
     * int8 weights (1 byte a parameter). On libtorch weight-only: each output channel of each matrix quantised
     * symmetrically with a power-of-two scale, dequantised to float16 one matrix at a time for its product. On ONNX
     * Runtime: symmetric blocks of 32 along the input axis, int8 products ({@code MatMulNBits}, accuracy level 4).
     * Both are held to the same bounds on the parity fixtures ({@code ReducedPrecisionTest}).
     */
    INT8("int8", 1.0, 0.9);

    // masked LMs in int8 (DynamicQuantizeMatMul, weights per output column; the feed-forward output MatMulNBits;
    // measured on AVX-512 VNNI + AMX: fixtures max 0.60, top-1 0.93; bert-base-uncased at 50 audit masks max 1.46,
    // top-1 0.92, top-5 overlap 0.92), with room for other CPUs' int8 kernels
    private static final double MASKED_INT8_MAX_DELTA = 2.0;
    private static final double MASKED_INT8_MIN_TOP1 = 0.85;
    private static final String MASKED_MEASURED_ON =
            "the masks of the BERT parity fixture and bert-base-uncased's audit sentences (MaskedInt8ErrorTest)";

    private final String label;
    private final double maxLogProbDelta;
    private final double minTop1Agreement;

    Precision(String label, double maxLogProbDelta, double minTop1Agreement) {
        this.label = label;
        this.maxLogProbDelta = maxLogProbDelta;
        this.minTop1Agreement = minTop1Agreement;
    }

    /** The name users type ({@code --precision}). */
    public String label() {
        return label;
    }

    /** Bound on max |log p - log p(fp32)| over every next-token distribution of the parity fixtures. */
    public double maxLogProbDelta() {
        return maxLogProbDelta;
    }

    /** Bound from below on the share of positions whose top-1 token equals fp32's, on the parity fixtures. */
    public double minTop1Agreement() {
        return minTop1Agreement;
    }

    /** One line for provenance and the speed report: the mode and its checked error against fp32. */
    public String describe() {
        if (this == FP32) {
            return "fp32 weights";
        }
        return label + " weights (vs fp32 on the parity fixtures: max |delta log-prob| <= " + maxLogProbDelta
                + ", top-1 agreement >= " + minTop1Agreement + ")";
    }

    /**
     * The lineage plus, for a reduced precision, the mode and its error bounds against fp32 (fp32 runs keep theirs
     * as-is): what result.json's provenance says of the weights, whichever engine holds them.
     */
    public Map<String, String> withProvenance(Map<String, String> lineage) {
        if (this == FP32) {
            return lineage;
        }
        Map<String, String> out = new LinkedHashMap<>(lineage);
        out.put("precision", label);
        out.put("precision.maxAbsLogProbDeltaVsFp32", String.valueOf(maxLogProbDelta));
        out.put("precision.top1AgreementVsFp32", String.valueOf(minTop1Agreement));
        out.put("precision.measuredOn", "the causal parity fixtures (ReducedPrecisionTest)");
        return out;
    }

    /**
     * Bound on max |log p - log p(fp32)| over the vocabulary at each mask of a masked LM (BERT on ONNX Runtime, the
     * only engine with a reduced masked precision), checked by {@code MaskedInt8ErrorTest} on the BERT parity
     * fixture and the embedded bert-base-uncased. {@link #BF16} has no masked mode: NaN.
     */
    public double maskedMaxLogProbDelta() {
        return switch (this) {
            case FP32 -> 0;
            case INT8 -> MASKED_INT8_MAX_DELTA;
            case BF16 -> Double.NaN;
        };
    }

    /** Bound from below on the share of masks whose top-1 token equals fp32's, masked LMs ({@link #BF16}: NaN). */
    public double maskedMinTop1Agreement() {
        return switch (this) {
            case FP32 -> 1;
            case INT8 -> MASKED_INT8_MIN_TOP1;
            case BF16 -> Double.NaN;
        };
    }

    /** {@link #describe()} for a masked LM: the mode and its checked error against fp32 at the masks. */
    public String describeMasked() {
        if (this == FP32) {
            return describe();
        }
        return label + " weights (vs fp32 at the masks of the BERT parity fixture and bert-base-uncased: max |delta"
                + " log-prob| <= " + maskedMaxLogProbDelta() + ", top-1 agreement >= " + maskedMinTop1Agreement()
                + ")";
    }

    /** {@link #withProvenance} for a masked LM: its own bounds and where they were measured. */
    public Map<String, String> withMaskedProvenance(Map<String, String> lineage) {
        if (this == FP32) {
            return lineage;
        }
        Map<String, String> out = new LinkedHashMap<>(lineage);
        out.put("precision", label);
        out.put("precision.maxAbsLogProbDeltaVsFp32", String.valueOf(maskedMaxLogProbDelta()));
        out.put("precision.top1AgreementVsFp32", String.valueOf(maskedMinTop1Agreement()));
        out.put("precision.measuredOn", MASKED_MEASURED_ON);
        return out;
    }

    /** Parses a user's {@code --precision} value. */
    public static Precision parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "fp32", "f32", "float32" -> FP32;
            case "bf16", "bfloat16" -> BF16;
            case "int8", "i8" -> INT8;
            default -> throw new IllegalArgumentException("unknown precision \"" + s + "\"; use fp32, bf16 or int8");
        };
    }
}
