package org.unmask.cli.options;

import org.unmask.core.error.InvalidInputException;
import org.unmask.models.Precision;
import picocli.CommandLine.Option;

/** {@code --precision}: how a causal LM's weight matrices are held, parsed with a user-facing error. */
public final class PrecisionOption {
    @Option(
            names = "--precision",
            defaultValue = "fp32",
            paramLabel = "MODE",
            description = "Causal LM weights: fp32 (default; exact), bf16 (2 bytes a weight: a 7B model in ~14 GB;"
                    + " libtorch) or int8 (1 byte; on ONNX Runtime int8 blocks of 32 with int8 products, on --backend"
                    + " torch weight-only). Masked LMs: fp32 or int8 (ONNX Runtime; int8 weights and activations)."
                    + " Their error against fp32 is recorded in the results.")
    String name = "fp32";

    /** The chosen precision; an unknown name is invalid input (exit 3) naming the choices. */
    public Precision precision() throws InvalidInputException {
        try {
            return Precision.parse(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--precision: " + e.getMessage(), "choose fp32, bf16 or int8");
        }
    }
}
