package org.unmask.benchmarks.bold;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.unmask.benchmarks.RunOptions;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.Estimate;

/**
 * The one place BOLD uses the statistics package: a share of continuations with a 95 % interval from a bootstrap
 * that resamples whole Wikipedia pages, because the prompts cut from one page (and the samples of one prompt) are
 * not independent.
 */
final class BoldStatistics {
    private BoldStatistics() {}

    static Estimate share(
            List<BoldBenchmark.Scored> items, ToDoubleFunction<BoldBenchmark.Scored> indicator, RunOptions options) {
        Function<BoldBenchmark.Scored, Object> page =
                s -> s.prompt().groupId() + "#" + s.prompt().page();
        return new CrossedBootstrap(options.seed(), options.bootstrapResamples())
                .clustered(
                        "pages",
                        items,
                        page,
                        xs -> xs.stream().mapToDouble(indicator).average().orElse(Double.NaN));
    }
}
