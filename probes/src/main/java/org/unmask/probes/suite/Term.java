package org.unmask.probes.suite;

/**
 * One term of a term list, with an optional numeric statistic (e.g. an occupation's BLS % female).
 *
 * @param text the word or phrase, as inserted into templates
 * @param stat the statistic, NaN when the list has none
 */
public record Term(String text, double stat) {
    public boolean hasStat() {
        return !Double.isNaN(stat);
    }
}
