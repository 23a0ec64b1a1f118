package org.unmask.probes.measure;

/**
 * How a lean pools the scores of one side's items (its group terms, over templates and contexts) into one number.
 * The lean of a target is the pool of side A minus the pool of side B.
 */
enum LeanPooling {
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
        private double n;
        private double logSum = Double.NEGATIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private final boolean logSums;

        Side() {
            this(true);
        }

        /** {@code logSums} false skips the log-sum (two exp and a log per item) where only the mean is read. */
        Side(boolean logSums) {
            this.logSums = logSums;
        }

        void add(double score) {
            add(score, 1);
        }

        /** Adds a score {@code weight} times (a resampled item drawn that often). */
        void add(double score, double weight) {
            sum += weight * score;
            n += weight;
            if (weight > 0) {
                max = Math.max(max, score);
            }
            if (!logSums) {
                return;
            }
            double x = score + Math.log(weight);
            double hi = Math.max(logSum, x);
            logSum = hi == Double.NEGATIVE_INFINITY ? hi : hi + Math.log(Math.exp(logSum - hi) + Math.exp(x - hi));
        }

        boolean isEmpty() {
            return n == 0;
        }

        /** The largest single score (the side's most likely term), NaN for an empty side. */
        double max() {
            return n == 0 ? Double.NaN : max;
        }

        /** The pooled value, NaN for an empty side. */
        double value(LeanPooling pooling) {
            if (n == 0) {
                return Double.NaN;
            }
            if (pooling == LOG_SUM && !logSums) {
                throw new IllegalStateException("log-sum pooling of a side that does not keep it");
            }
            return pooling == MEAN ? sum / n : logSum;
        }
    }
}
