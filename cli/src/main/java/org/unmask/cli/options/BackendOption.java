package org.unmask.cli.options;

import org.unmask.core.error.InvalidInputException;
import org.unmask.models.Backend;
import picocli.CommandLine.Option;

/** {@code --backend}: the inference engine of a masked or causal LM, parsed with a user-facing error. */
public final class BackendOption {
    @Option(
            names = "--backend",
            defaultValue = "auto",
            paramLabel = "ENGINE",
            descriptionKey = "unmask.backend",
            description = "auto (the default: ONNX Runtime, the faster engine, for masked LMs and for fp32 and int8"
                    + " causal LMs; libtorch for bf16 and for F16/BF16 checkpoints in fp32), onnx (ONNX Runtime; causal"
                    + " LMs fp32 over float32 checkpoints, int8 over float32/F16/BF16 ones, the rest runs on torch) or"
                    + " torch (libtorch via DJL).")
    String name = "auto";

    /** The chosen engine; an unknown name is invalid input (exit 3) naming the choices. */
    public Backend engine() throws InvalidInputException {
        return parse(name);
    }

    /** Parses an engine name from any source (the option, an experiment file). */
    public static Backend parse(String value) throws InvalidInputException {
        try {
            return Backend.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--backend: " + e.getMessage(), "choose auto, onnx or torch");
        }
    }
}
