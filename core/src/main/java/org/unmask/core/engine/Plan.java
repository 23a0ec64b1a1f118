package org.unmask.core.engine;

import java.util.List;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;

/**
 * A request lowered to forward passes: the queries to run and how to build the answer from their
 * reads.
 */
record Plan<R>(List<LogProbQuery> queries, Assembler<R> assembler) {
    @FunctionalInterface
    interface Assembler<R> {
        /** @param answers one list of reads per query, in query order */
        R assemble(List<List<LogProbs>> answers);
    }
}
