package org.unmask.probes.suite;

import java.util.List;

/**
 * A named list of terms (group words, occupations, adjectives...).
 *
 * @param name the key under {@code terms:} in the suite
 * @param terms the terms, in file order, duplicates removed
 * @param statName the name of the statistic the terms carry (e.g. {@code pct_female}), or null
 * @param source where the list came from ({@code inline}, {@code lexicon:occupations}, a file name)
 */
public record TermList(String name, List<Term> terms, String statName, String source) {
    public TermList {
        terms = List.copyOf(terms);
    }

    public List<String> texts() {
        return terms.stream().map(Term::text).toList();
    }

    public boolean contains(String word) {
        for (Term t : terms) {
            if (t.text().equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }
}
