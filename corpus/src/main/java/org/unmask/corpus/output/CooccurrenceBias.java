package org.unmask.corpus.output;

import java.util.OptionalDouble;

/**
 * Bordia &amp; Bowman (2019), "Identifying and Reducing Gender Bias in Word-Level Language Models" (NAACL SRW),
 * co-occurrence bias of a word w (here: an occupation, all its forms):
 *
 * <pre>bias(w) = log( P(w|f) / P(w|m) ),   P(w|g) = c(w, g) / Σ_i c(w_i, g)</pre>
 *
 * where c(w, g) is the number of (occurrence of w, occurrence of a word of gender g) pairs at most k tokens apart
 * in the same document (a fixed ±k window; B&amp;B also use k-sized windows), and Σ_i c(w_i, g) runs over every
 * token of the vocabulary, i.e. the total number of tokens inside the ±k windows of g's words. Natural log;
 * positive = skewed to female contexts, negative = male, 0 = none (ideal). Undefined (empty) when w never
 * co-occurs with one of the genders (B&amp;B drop such words; no smoothing is applied). The corpus-level score is
 * the mean of |bias(w)| over the occupations where it is defined (reported with that count).
 */
public final class CooccurrenceBias {
    private CooccurrenceBias() {}

    public static OptionalDouble of(long withFemale, long withMale, long femaleContext, long maleContext) {
        if (withFemale <= 0 || withMale <= 0 || femaleContext <= 0 || maleContext <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.log((withFemale / (double) femaleContext) / (withMale / (double) maleContext)));
    }
}
