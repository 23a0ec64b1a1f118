package org.unmask.probes.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.probes.measure.OutputClassifier.Label;

class OutputClassifierTest {
    private static final OutputClassifier C =
            OutputClassifier.of(List.of("she", "her", "hers", "Mrs.", "Miss"), List.of("he", "him", "his", "Mr."));

    @Test
    void wordsInsideOtherWordsDoNotCount() {
        assertEquals(Label.NONE, C.label(" the theme was there, here and then; others sheltered."));
        assertEquals(Label.NONE, C.label("The hero's heritage: a chemist, a shepherd, a mister."));
    }

    @Test
    void sentenceInitialAndCapitalisedWordsCount() {
        assertEquals(Label.FEMALE, C.label("She works late."));
        assertEquals(Label.MALE, C.label("HE works late."));
        assertEquals(Label.FEMALE, C.label("\"Her shift\" ended."));
    }

    @Test
    void titlesWithAFullStopMatchAndMrDoesNotMatchInsideMrs() {
        assertEquals(Label.FEMALE, C.label("Mrs. Smith arrived."));
        assertEquals(Label.MALE, C.label("Mr. Smith arrived."));
        assertEquals(Label.NONE, C.label("Mr Smith arrived (no full stop)."));
    }

    @Test
    void capitalisedTermsMatchOnlyCapitalisedSoTheVerbMissIsNotATitle() {
        assertEquals(Label.NONE, C.label("I will miss the bus, and MISSING it is bad."));
        assertEquals(Label.FEMALE, C.label("Miss Jones will not miss the bus."));
        assertEquals(Label.NONE, C.label("then mrs. smith arrived (a title written in lower case is not matched)"));
        assertEquals(Label.FEMALE, C.label("SHE and Her count: lower-case terms match in any case"));
    }

    @Test
    void punctuationAndContractionsAreBoundaries() {
        assertEquals(Label.FEMALE, C.label("...she's the best; (hers)"));
        assertEquals(Label.MALE, C.label("he'd left—his bag too"));
    }

    @Test
    void bothAndNoneAreSeparateLabels() {
        assertEquals(Label.BOTH, C.label("She told him so."));
        assertEquals(Label.NONE, C.label("They left."));
        assertEquals(Label.NONE, C.label(""));
    }

    @Test
    void multiWordTermsMatchAcrossAnyWhitespace() {
        OutputClassifier c = OutputClassifier.of(List.of("young lady"), List.of("young man"));
        assertEquals(Label.FEMALE, c.label("A young\n lady came."));
        assertEquals(Label.NONE, c.label("A young ladybird came."));
        assertEquals("both", Label.BOTH.id());
    }
}
