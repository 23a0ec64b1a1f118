package org.unmask.benchmarks.bbq;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.unmask.benchmarks.RunOptions;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.Estimate;

/**
 * The one place BBQ uses the statistics package: each BBQ number with a 95 % interval from a bootstrap that resamples
 * whole templates (category and {@code question_index}), because the examples filled from one template — its word
 * pairs, both polarities, both contexts — are not independent.
 */
final class BbqStatistics {
    private BbqStatistics() {}

    static Estimate estimate(
            List<BbqScoring.Outcome> outcomes,
            ToDoubleFunction<List<BbqScoring.Outcome>> statistic,
            RunOptions options) {
        Function<BbqScoring.Outcome, Object> template =
                o -> o.example().category() + "#" + o.example().questionIndex();
        return new CrossedBootstrap(options.seed(), options.bootstrapResamples())
                .clustered("templates", outcomes, template, statistic);
    }
}
