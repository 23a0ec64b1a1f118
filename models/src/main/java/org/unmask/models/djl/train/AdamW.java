package org.unmask.models.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.unmask.models.djl.Scalars;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) in the form of
 * {@code torch.optim.AdamW}, with two parameter groups as HF's Trainer: weight decay for matrices, none for biases
 * and normalisation weights ({@link TrainableModel#noDecay}). Per parameter w with gradient g at step t (1-based):
 *
 * <pre>
 *   w ← w · (1 − lr · λ)                       (decoupled decay, λ = 0 in the no-decay group)
 *   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²
 *   w ← w − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 *
 * Written here rather than DJL's {@code Optimizer.adamW} because DJL applies one decay to every tensor, folds the
 * bias correction into the rate (ε-hat form) and keeps its moments private, so they could not be checkpointed.
 * The moments live in this object's manager and are exported/imported by name for checkpoints.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final Predicate<String> noDecay;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    /** With BERT's no-decay names ({@link TrainableBert#isNoDecay}). */
    public AdamW(NDManager manager, double beta1, double beta2, double eps, double weightDecay) {
        this(manager, beta1, beta2, eps, weightDecay, TrainableBert::isNoDecay);
    }

    /** @param noDecay parameters (by name) in the group without weight decay */
    public AdamW(
            NDManager manager, double beta1, double beta2, double eps, double weightDecay, Predicate<String> noDecay) {
        this.manager = manager;
        this.noDecay = noDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** Optimizer steps taken so far. */
    public long step() {
        return step;
    }

    /**
     * One update of every parameter that has a gradient. Runs with autograd recording off (in-place updates of
     * leaf tensors), as {@code torch.no_grad()} does.
     */
    public void update(Map<String, NDArray> params, double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray w = e.getValue();
            try (NDManager scope = manager.newSubManager()) {
                NDArray g = w.getGradient();
                g.attach(scope);
                NDArray mi = m.computeIfAbsent(e.getKey(), k -> manager.zeros(w.getShape(), w.getDataType()));
                NDArray vi = v.computeIfAbsent(e.getKey(), k -> manager.zeros(w.getShape(), w.getDataType()));
                mi.muli(beta1).addi(Scalars.mul(g, 1 - beta1));
                vi.muli(beta2).addi(g.square().muli(1 - beta2));
                double decay = noDecay.test(e.getKey()) ? 0 : weightDecay;
                if (decay > 0) {
                    w.muli(1 - lr * decay);
                }
                NDArray denom = scoped(Scalars.div(vi, bc2), scope).sqrt().addi(eps);
                w.subi(scoped(mi.div(denom), scope).muli(lr / bc1));
            }
        }
    }

    private static NDArray scoped(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    /** First moments by parameter name (live arrays; copy before changing). */
    public Map<String, NDArray> firstMoments() {
        return m;
    }

    /** Second moments by parameter name. */
    public Map<String, NDArray> secondMoments() {
        return v;
    }

    /** Restores state saved from {@link #firstMoments()}, {@link #secondMoments()} and {@link #step()}. */
    public void restore(Map<String, NDArray> first, Map<String, NDArray> second, long steps) {
        m.clear();
        v.clear();
        first.forEach((k, a) -> m.put(k, own(a)));
        second.forEach((k, a) -> v.put(k, own(a)));
        this.step = steps;
    }

    private NDArray own(NDArray a) {
        NDArray c = a.duplicate();
        c.attach(manager);
        return c;
    }
}
