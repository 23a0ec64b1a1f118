package org.unmask.probes.measure;

import java.util.List;
import java.util.Map;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.PermutationTest;

/**
 * A measure lowered to model requests, and the scorer of their answers. The audit engine gathers the requests of
 * every plan and runs them in one executor call, so shared sentences are computed once.
 */
public interface MeasurePlan {
    /** The requests this measure needs (may repeat other plans' requests; the executor deduplicates). */
    List<ModelRequest<?>> requests();

    /**
     * Scores the answers.
     *
     * @param answers answers keyed by request, holding at least this plan's requests
     */
    MeasureResult score(Map<ModelRequest<?>, Object> answers, CrossedBootstrap bootstrap, PermutationTest test);
}
