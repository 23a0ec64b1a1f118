package org.unmask.probes.measure;

/**
 * How a lean pools the scores of one side's items (its group terms, over templates and contexts) into one number.
 * The lean of a target is the pool of side A minus the pool of side B.
 */
enum Pooling {
    /** The mean of the log-probabilities: every lean measure but the co-occurrence score. */
    MEAN,
    /**
     * The log of the summed probabilities, {@code log Σ exp(score)} (computed stably): Brown et al. 2020's
     * {@code log(P(female) + P(woman))}. Over several sentences it sums them too, i.e. the log of their mean up to
     * a constant that cancels between the sides when both have the same sentences.
     */
    LOG_SUM;

    /** Running pool of one side's scores. */
    static final class Side {
        private double sum;
        private int n;
        private double logSum = Double.NEGATIVE_INFINITY;

        void add(double score) {
            sum += score;
            n++;
            double hi = Math.max(logSum, score);
            logSum = hi == Double.NEGATIVE_INFINITY ? hi
                    : hi + Math.log(Math.exp(logSum - hi) + Math.exp(score - hi));
        }

        boolean isEmpty() {
            return n == 0;
        }

        /** The pooled value, NaN for an empty side. */
        double value(Pooling pooling) {
            if (n == 0) {
                return Double.NaN;
            }
            return pooling == MEAN ? sum / n : logSum;
        }
    }
}
