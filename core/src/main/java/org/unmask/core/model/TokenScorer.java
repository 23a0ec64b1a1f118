package org.unmask.core.model;

import java.util.List;
import org.unmask.core.error.ModelException;

/**
 * A model that returns token distributions: masked LMs (distribution at a position) and causal LMs
 * (distribution of the next token). This is the only place tensors are touched; callers batch.
 */
public interface TokenScorer extends LanguageModel {
    /**
     * Runs one batch. Inputs of different lengths are padded to the longest; padding never changes
     * a result.
     *
     * @return one list of answers per query, in query and read order
     */
    List<List<LogProbs>> score(List<LogProbQuery> batch) throws ModelException;
}
