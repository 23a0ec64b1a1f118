package org.unmask.mitigation.cda;

import java.util.List;

/**
 * Counts of one augmentation run; every input line is accounted for:
 * {@code documentsIn = swapped + keptUnswapped + droppedUnswapped} and {@code skipped} lines were not documents.
 *
 * @param documentsIn documents read
 * @param documentsOut documents written (originals and counterfactuals)
 * @param swapped documents with at least one swap
 * @param keptUnswapped documents without gendered words, passed through
 * @param droppedUnswapped documents without gendered words, dropped on request
 * @param skipped input lines that were not usable documents (malformed JSON, missing text field)
 * @param blankLines blank input lines (not documents; not written)
 * @param swaps words swapped in total
 * @param anonymized placeholders inserted in total
 * @param skipExamples up to 10 {@code file:line: reason} examples of skipped lines
 */
public record AugmentStats(
        long documentsIn,
        long documentsOut,
        long swapped,
        long keptUnswapped,
        long droppedUnswapped,
        long skipped,
        long blankLines,
        long swaps,
        long anonymized,
        List<String> skipExamples) {
    public AugmentStats {
        skipExamples = List.copyOf(skipExamples);
    }

    /** One line for the CLI. */
    public String summary() {
        return String.format(
                java.util.Locale.ROOT,
                "documents in %d, out %d; swapped %d (%d words), unswapped kept %d, dropped %d; skipped %d lines, %d blank;"
                        + " anonymized %d spans",
                documentsIn,
                documentsOut,
                swapped,
                swaps,
                keptUnswapped,
                droppedUnswapped,
                skipped,
                blankLines,
                anonymized);
    }
}
