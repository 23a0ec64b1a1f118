package org.unmask.corpus.lexicon;

import java.util.List;
import java.util.OptionalDouble;

/**
 * One occupation as counted in a corpus.
 *
 * @param name the canonical (singular) name, used as the row key in outputs
 * @param forms every surface form counted as a mention, singular first (lower case, ASCII letters only)
 * @param referencePctFemale real-world % female (BLS) used by the reference association score, if known
 */
public record OccupationTerm(String name, List<String> forms, OptionalDouble referencePctFemale) {
    public OccupationTerm {
        forms = List.copyOf(forms);
    }
}
