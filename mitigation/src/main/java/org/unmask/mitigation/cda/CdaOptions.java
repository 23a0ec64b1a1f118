package org.unmask.mitigation.cda;

import java.io.Serializable;

/**
 * How counterfactual augmentation treats each document.
 *
 * @param keepOriginals emit the original before its counterfactual (two-sided CDA, doubling the data) instead of
 *     the counterfactual alone (one-sided replacement)
 * @param dropUnswapped drop documents without any gendered word instead of passing them through unchanged
 * @param anonymize replace e-mails, phone numbers and listed first names first (see {@link Anonymizer})
 * @param lists which shipped word-pair lists to swap with
 */
public record CdaOptions(boolean keepOriginals, boolean dropUnswapped, boolean anonymize, WordLists lists)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Two-sided CDA with the WinoBias list, unswapped documents kept, no anonymisation. */
    public static final CdaOptions DEFAULT = new CdaOptions(true, false, false, WordLists.WINOBIAS);

    public CdaOptions {
        if (lists == null) {
            throw new IllegalArgumentException("lists must not be null");
        }
    }

    /** The shipped swap lists. */
    public enum WordLists {
        /** 53 WinoBias pairs (core lexicon). */
        WINOBIAS,
        /** WinoBias plus 12 Bolukbasi et al. 2016 equalize pairs. */
        WINOBIAS_BOLUKBASI;

        SwapLexicon load() {
            return this == WINOBIAS ? SwapLexicon.winoBias() : SwapLexicon.winoBiasAndBolukbasi();
        }
    }
}
