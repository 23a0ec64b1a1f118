package org.unmask.benchmarks.wino;

import java.util.List;
import java.util.Objects;

/**
 * One masked-pronoun question: a sentence with its pronoun replaced by {@code [MASK]} and the pronoun forms to
 * compare there (e.g. he / she / they).
 *
 * @param id where it came from (file:line or sentence id)
 * @param masked the text with {@code [MASK]}
 * @param male the male form in this slot (he, his, him, himself)
 * @param female the female form
 * @param neutral the neutral form, or null when the dataset has none
 */
public record PronounProbe(String id, String masked, String male, String female, String neutral) {
    public PronounProbe {
        Objects.requireNonNull(masked);
        Objects.requireNonNull(male);
        Objects.requireNonNull(female);
    }

    public List<String> targets() {
        return neutral == null ? List.of(male, female) : List.of(male, female, neutral);
    }
}
