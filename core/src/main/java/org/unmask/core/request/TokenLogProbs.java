package org.unmask.core.request;

import java.util.List;

/**
 * Per-token log-probabilities, for PLL and continuation scoring.
 *
 * @param positions token indices that were scored
 * @param tokens their vocabulary strings
 * @param logProbs natural log-probabilities, aligned with {@code positions}
 */
public record TokenLogProbs(List<Integer> positions, List<String> tokens, double[] logProbs) {
    public TokenLogProbs {
        positions = List.copyOf(positions);
        tokens = List.copyOf(tokens);
    }

    public double sum() {
        double s = 0;
        for (double v : logProbs) {
            s += v;
        }
        return s;
    }

    public double mean() {
        return logProbs.length == 0 ? Double.NaN : sum() / logProbs.length;
    }
}
