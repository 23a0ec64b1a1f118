package org.unmask.models;

/** Which engine runs a model. */
public enum Backend {
    /** ONNX Runtime over a generated graph: the fastest FP32 inference path (default for BERT). */
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
