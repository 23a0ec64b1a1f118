package org.unmask.core.lexicon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unmask.core.lexicon.GenderedWords.Gender;

class GenderedWordsTest {
    private final GenderedWords words = GenderedWords.builtIn();

    @Test
    void genderedJobNounsThePairsLackAreGendered() {
        assertEquals(Gender.FEMALE, words.classify("waitress"));
        assertEquals(Gender.FEMALE, words.classify("maid"));
        assertEquals(Gender.MALE, words.classify("waiter"));
        assertEquals(Gender.MALE, words.classify("salesman"));
    }

    @Test
    void pairsAreGenderedAndEverythingElseIsNeutral() {
        assertEquals(Gender.MALE, words.classify("he"));
        assertEquals(Gender.FEMALE, words.classify("She"));
        assertEquals(Gender.FEMALE, words.classify("\u0120actress"));
        assertEquals(Gender.NEUTRAL, words.classify("nurse"));
        assertEquals(Gender.NEUTRAL, words.classify("##man"), "a word piece is not a word");
        assertEquals(Gender.NEUTRAL, words.classify("."));
    }

    @Test
    void eachWordIsListedOnceUnderOneGender() {
        assertTrue(words.female().contains("her") && words.male().contains("his"));
        assertTrue(words.female().stream().noneMatch(words.male()::contains));
    }
}
