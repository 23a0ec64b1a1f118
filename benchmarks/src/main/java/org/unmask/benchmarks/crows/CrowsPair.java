package org.unmask.benchmarks.crows;

import java.util.Objects;

/**
 * One CrowS-Pairs row.
 *
 * @param index the row's index column
 * @param where file:line it came from
 * @param sentMore the more stereotypical sentence
 * @param sentLess the less stereotypical sentence
 * @param antistereo true when {@code stereo_antistereo == "antistereo"}
 * @param biasType the bias type (e.g. {@code race-color})
 */
public record CrowsPair(
        int index, String where, String sentMore, String sentLess, boolean antistereo, String biasType) {
    public CrowsPair {
        Objects.requireNonNull(sentMore);
        Objects.requireNonNull(sentLess);
        Objects.requireNonNull(biasType);
    }

    /**
     * The sentence scored first: the reference code puts {@code sent_more} first for stereo pairs and
     * {@code sent_less} first for antistereo pairs, and difflib's alignment depends on that order.
     */
    public String sent1() {
        return antistereo ? sentLess : sentMore;
    }

    public String sent2() {
        return antistereo ? sentMore : sentLess;
    }
}
