package org.unmask.models;

/** Which engine runs a model. */
public enum Backend {
    /**
     * ONNX Runtime over a generated graph: the fastest FP32 inference path, the default for masked and causal LMs
     * (a causal checkpoint whose weights the graph cannot read in place, F16/BF16, runs on libtorch instead).
     */
    ONNX,
    /** libtorch through DJL: inference and training (autograd). */
    TORCH;

    /** Parses a user's {@code --backend} value. */
    public static Backend parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "onnx", "ort", "onnxruntime" -> ONNX;
            case "torch", "pytorch", "djl", "libtorch" -> TORCH;
            default -> throw new IllegalArgumentException("unknown backend \"" + s + "\"; use onnx or torch");
        };
    }
}
