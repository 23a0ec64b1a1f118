package org.unmask.corpus.count;

/**
 * Per-occupation counters. An occupation is "mentioned" by any of its forms (singular or plural).
 *
 * <ul>
 *   <li>{@code SENT_*}: sentences mentioning the occupation (once per sentence), split by which genders' words the
 *       sentence contains: male only, female only (the Thaler et al. 2024 "only one gender" rule), both.
 *   <li>{@code DOC_*}: the same per document.
 *   <li>{@code WIN_*}: per mention, the ±k-token window around it (same document, crossing sentence ends, the
 *       mention itself excluded): male only / female only / both; {@code WIN_PAIRS_*} add the number of male
 *       (female) words in the window, i.e. B&amp;B's co-occurrence count c(occupation, g).
 * </ul>
 */
public enum OccStat {
    MENTIONS,
    SENT_TOTAL,
    SENT_MALE_ONLY,
    SENT_FEMALE_ONLY,
    SENT_BOTH,
    DOC_TOTAL,
    DOC_MALE_ONLY,
    DOC_FEMALE_ONLY,
    DOC_BOTH,
    WIN_MALE_ONLY,
    WIN_FEMALE_ONLY,
    WIN_BOTH,
    WIN_PAIRS_MALE,
    WIN_PAIRS_FEMALE;

    static final int COUNT = values().length;
}
