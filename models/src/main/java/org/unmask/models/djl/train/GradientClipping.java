package org.unmask.models.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Collection;

/**
 * Clipping by the global L2 norm over all gradients ({@code torch.nn.utils.clip_grad_norm_}, HF
 * {@code max_grad_norm}): with {@code n = √(Σ_p ‖g_p‖²)}, every gradient is scaled by {@code max / (n + 1e-6)}
 * when that factor is below 1. DJL's own {@code clipGrad} clamps each element instead, which is not the same.
 */
public final class GradientClipping {
    private GradientClipping() {}

    /** Clips in place and returns the norm before clipping. */
    public static double clip(Collection<NDArray> params, double maxNorm) {
        double sq = 0;
        for (NDArray p : params) {
            try (NDManager scope = p.getManager().newSubManager()) {
                NDArray g = p.getGradient();
                g.attach(scope);
                sq += g.toType(DataType.FLOAT64, false).square().sum().getDouble();
            }
        }
        double norm = Math.sqrt(sq);
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1) {
            for (NDArray p : params) {
                try (NDManager scope = p.getManager().newSubManager()) {
                    NDArray g = p.getGradient();
                    g.attach(scope);
                    g.muli(factor);
                }
            }
        }
        return norm;
    }
}
