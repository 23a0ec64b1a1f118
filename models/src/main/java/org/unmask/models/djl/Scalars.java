package org.unmask.models.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Arithmetic of a tensor with a Java number that libtorch autograd can differentiate safely. DJL's
 * {@code NDArray.mul(Number)}, {@code div(Number)} and {@code pow(Number)} wrap the number in a temporary tensor
 * over a Java direct buffer and close it as soon as the operation returns, but libtorch's mul, div and pow save
 * that operand for the backward pass: when autograd records, the backward reads the buffer after the JVM may have
 * freed it (any GC between forward and backward), so gradients become whatever the allocator put there since — a
 * NaN once in a while, or silently different weights from the same seed. Here, while autograd records, the number
 * becomes a tensor owned by the operand's manager (a training step's scope, closed after the backward); otherwise
 * nothing is saved and DJL's own overloads run, so inference creates no extra tensors.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code x * n}. */
    public static NDArray mul(NDArray x, Number n) {
        return JniUtils.isGradMode() ? x.mul(constant(x, n)) : x.mul(n);
    }

    /** {@code x / n}. */
    public static NDArray div(NDArray x, Number n) {
        return JniUtils.isGradMode() ? x.div(constant(x, n)) : x.div(n);
    }

    /** {@code x ^ n}. */
    public static NDArray pow(NDArray x, Number n) {
        return JniUtils.isGradMode() ? x.pow(constant(x, n)) : x.pow(n);
    }

    /** The tensor DJL would make for {@code n} (same dtype rules), but kept alive by {@code x}'s manager. */
    private static NDArray constant(NDArray x, Number n) {
        return x.getManager().create(n);
    }
}
