package org.unmask.models;

/** Which engine runs a model. */
public enum Backend {
    /**
     * ONNX Runtime over a generated graph: the fastest FP32 path for masked and causal LMs (for causal LMs fp32
     * over float32 checkpoints only: a reduced precision or an F16/BF16 checkpoint runs on libtorch instead).
     */
    ONNX,
    /** libtorch through DJL: inference and training (autograd), every precision. */
    TORCH,
    /**
     * The default: the engine measured fastest for the model's kind, ONNX Runtime for masked LMs and
     * {@link #CAUSAL_DEFAULT} for causal LMs (PERFORMANCE.md, "Causal LMs on ONNX Runtime").
     */
    AUTO;

    /**
     * The engine {@link #AUTO} runs a causal LM on where it can: ONNX Runtime, measured ahead of libtorch on every
     * causal workload in one quiet sitting (scoring 1.4-2.1x, greedy decoding 1.7x, batched sampling 1.7x;
     * PERFORMANCE.md, "Causal LMs on ONNX Runtime"). Its decoder is fp32 over float32 checkpoints only, so a
     * reduced {@code --precision} or an F16/BF16 checkpoint still runs on libtorch under {@link #AUTO}.
     */
    public static final Backend CAUSAL_DEFAULT = ONNX;

    /** The engine a causal LM asked to run on this backend runs on ({@link #AUTO} resolved). */
    public Backend forCausal() {
        return this == AUTO ? CAUSAL_DEFAULT : this;
    }

    /** The engine a masked LM asked to run on this backend runs on ({@link #AUTO} resolved). */
    public Backend forMasked() {
        return this == AUTO ? ONNX : this;
    }

    /** Parses a user's {@code --backend} value. */
    public static Backend parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> AUTO;
            case "onnx", "ort", "onnxruntime" -> ONNX;
            case "torch", "pytorch", "djl", "libtorch" -> TORCH;
            default -> throw new IllegalArgumentException("unknown backend \"" + s + "\"; use auto, onnx or torch");
        };
    }
}
