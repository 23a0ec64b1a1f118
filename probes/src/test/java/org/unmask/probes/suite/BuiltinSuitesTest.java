package org.unmask.probes.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.lexicon.GenderedWords;

class BuiltinSuitesTest {
    @Test
    void everyBuiltInSuiteLoads() throws Exception {
        for (String id : SuiteLoader.BUILTIN) {
            assertEquals(id, SuiteLoader.builtin(id).id());
        }
    }

    /** The audit report and the explorer call the same words gendered: the suite's mark lists are the lexicon. */
    @Test
    void defaultSuiteMarksExactlyTheWordsOfTheOneGenderLexicon() throws Exception {
        Suite s = SuiteLoader.builtin(SuiteLoader.DEFAULT_SUITE);
        GenderedWords lexicon = GenderedWords.builtIn();
        assertEquals(
                lexicon.female(), new LinkedHashSet<>(s.terms("female-words").texts()));
        assertEquals(lexicon.male(), new LinkedHashSet<>(s.terms("male-words").texts()));
    }

    /** The server's occupation job: group A is female, so a positive lean is toward women as in every report. */
    @Test
    void occupationsSuiteLeansTowardWomenOverTheOccupationLexicon() throws Exception {
        Suite s = SuiteLoader.builtin(SuiteLoader.OCCUPATIONS_SUITE);
        List<MeasureSpec.Lean> leans =
                s.measures().stream().map(m -> (MeasureSpec.Lean) m).toList();
        assertEquals(
                List.of("pronoun-association", "noun-association"),
                leans.stream().map(MeasureSpec.Lean::name).toList());
        GenderedWords lexicon = GenderedWords.builtIn();
        for (MeasureSpec.Lean m : leans) {
            assertEquals(81, s.terms(m.targets()).terms().size());
            assertTrue(lexicon.female().containsAll(s.terms(m.groupA()).texts()), m.groupA());
            assertTrue(lexicon.male().containsAll(s.terms(m.groupB()).texts()), m.groupB());
        }
    }
}
