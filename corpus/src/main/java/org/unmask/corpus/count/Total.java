package org.unmask.corpus.count;

/**
 * Corpus-wide counters. Definitions (tokens, sentences, windows) are those of {@code TextScanner}.
 */
public enum Total {
    /** Input lines read (JSONL) or files read (plain text), including skipped ones. */
    LINES,
    /** Uncompressed input bytes read (JSONL lines with their newline, or plain-text bytes). */
    INPUT_BYTES,
    /** UTF-8 bytes of the text that was counted (after JSON unescaping). */
    TEXT_BYTES,
    /** Documents counted (JSONL lines with a usable text field; each plain-text file is one document). */
    DOCUMENTS,
    /** Sentences with at least one token. */
    SENTENCES,
    /** Tokens (maximal runs of ASCII letters). */
    TOKENS,
    /** Tokens that are male words. */
    MALE_TOKENS,
    /** Tokens that are female words. */
    FEMALE_TOKENS,
    /** Sentences with a male word and no female word. */
    SENTENCES_MALE_ONLY,
    /** Sentences with a female word and no male word. */
    SENTENCES_FEMALE_ONLY,
    /** Sentences with both a male and a female word. */
    SENTENCES_BOTH,
    /** Documents with a male word and no female word. */
    DOCUMENTS_MALE_ONLY,
    /** Documents with a female word and no male word. */
    DOCUMENTS_FEMALE_ONLY,
    /** Documents with both. */
    DOCUMENTS_BOTH,
    /** Σ over male-word occurrences of the number of tokens within ±k (same document): B&amp;B's Σ_w c(w, m). */
    CONTEXT_TOKENS_MALE,
    /** The same for female words: Σ_w c(w, f). */
    CONTEXT_TOKENS_FEMALE,
    /** Lines or documents skipped (not counted), each reported with a reason. */
    SKIPPED_LINES;

    /** Sentences with at least one gendered word. */
    public static long genderedSentences(Counts c) {
        return c.total(SENTENCES_MALE_ONLY) + c.total(SENTENCES_FEMALE_ONLY) + c.total(SENTENCES_BOTH);
    }
}
