package org.unmask.models.djl.train;

/**
 * Linear warm-up then linear decay to zero (HF {@code get_linear_schedule_with_warmup}): the learning rate at
 * optimizer step {@code s} (0-based) is {@code peak · s / warmup} while {@code s < warmup}, then
 * {@code peak · max(0, (total − s) / (total − warmup))}.
 *
 * @param peak the peak learning rate
 * @param warmupSteps steps of warm-up
 * @param totalSteps optimizer steps in the whole run
 */
public record LinearSchedule(double peak, long warmupSteps, long totalSteps) {
    public LinearSchedule {
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need 0 <= warmup <= total, total >= 1");
        }
    }

    public double rate(long step) {
        if (step < warmupSteps) {
            return peak * step / warmupSteps;
        }
        if (totalSteps == warmupSteps) {
            return 0;
        }
        return peak * Math.max(0.0, (double) (totalSteps - step) / (totalSteps - warmupSteps));
    }
}
