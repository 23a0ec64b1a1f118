package org.unmask.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.lexicon.GenderedWords;
import org.unmask.core.lexicon.GenderedWords.Gender;
import org.unmask.server.explore.SlotTemplate;

class ExplorerPartsTest {
    @Test
    void slotTemplateSplitsTermsAndFillsEach() throws Exception {
        SlotTemplate t = SlotTemplate.parse("The [ man | woman ] worked as a [MASK].");
        assertEquals(List.of("man", "woman"), t.terms());
        assertEquals("The woman worked as a [MASK].", t.fill("woman"));
    }

    @Test
    void slotTemplateRejectsMissingRepeatedOrExtraSlotsAndMasks() {
        for (String bad : List.of(
                "no slot [MASK]",
                "[a|b] and [c|d] [MASK]",
                "[a|a] [MASK]",
                "[a|] [MASK]",
                "[a|b] no mask",
                "[a|b] [MASK] [MASK]",
                "[a|b|c|d|e] [MASK]")) {
            assertThrows(InvalidInputException.class, () -> SlotTemplate.parse(bad), bad);
        }
    }

    @Test
    void genderedWordsAreMarkedAndEverythingElseIsNeutral() {
        GenderedWords g = GenderedWords.builtIn();
        assertEquals(Gender.MALE, g.classify("he"));
        assertEquals(Gender.FEMALE, g.classify("She"));
        assertEquals(Gender.FEMALE, g.classify("\u0120actress"));
        assertEquals(Gender.NEUTRAL, g.classify("nurse"));
        assertEquals(Gender.NEUTRAL, g.classify("##man"), "a word piece is not a word");
        assertEquals(Gender.NEUTRAL, g.classify("."));
    }
}
