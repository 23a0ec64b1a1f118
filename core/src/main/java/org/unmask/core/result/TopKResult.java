package org.unmask.core.result;

import java.util.List;

/**
 * Side-by-side top-k predictions.
 *
 * @param name measure name
 * @param measure {@code top-k}
 * @param k predictions per column
 * @param marks names of the term lists used to mark answers; others are marked {@code neutral}
 * @param tables one table per template version and context
 */
public record TopKResult(String name, String measure, int k, List<String> marks, List<Table> tables)
        implements MeasureResult {
    public TopKResult {
        marks = List.copyOf(marks);
        tables = List.copyOf(tables);
    }

    /** One template version in one context, one column per term. */
    public record Table(String template, int paraphrase, String context, String text, List<Column> columns) {
        public Table {
            columns = List.copyOf(columns);
        }
    }

    /** The predictions for one term. */
    public record Column(String term, String list, String text, List<Answer> answers) {
        public Column {
            answers = List.copyOf(answers);
        }
    }

    /**
     * One predicted token.
     *
     * @param token the vocabulary string
     * @param probability its probability
     * @param mark the mark list it belongs to, or {@code neutral}
     * @param shared whether it is also in another column's top-k of the same table
     */
    public record Answer(String token, double probability, String mark, boolean shared) {}
}
