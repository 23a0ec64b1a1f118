package org.unmask.probes.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unmask.probes.suite.Template;

class SlotsTest {
    @Test
    void articleAgreesWithTheFilledWord() {
        assertEquals("He is an engineer.", Slots.fill("He is a [TARGET].", Template.TARGET, "engineer"));
        assertEquals("He is a nurse.", Slots.fill("He is an [TARGET].", Template.TARGET, "nurse"));
        assertEquals("An engineer came.", Slots.fill("A [TARGET] came.", Template.TARGET, "engineer"));
    }

    @Test
    void articleBeforeAMaskFollowsTheWordItStandsFor() {
        assertEquals(
                "She works as an [MASK].",
                Slots.put("She works as a [MASK].", Template.MASK, Template.MASK, "engineer", false));
    }

    @Test
    void wordsEndingInAAreNotArticles() {
        assertEquals("The area engineer.", Slots.fill("The area [TARGET].", Template.TARGET, "engineer"));
    }

    @Test
    void sentenceStartsAreCapitalised() {
        assertEquals("She is a nurse.", Slots.fill("[GROUP] is a nurse.", Template.GROUP, "she"));
        assertEquals("Hi. She is here.", Slots.fill("Hi. [GROUP] is here.", Template.GROUP, "she"));
        assertEquals("The woman is here.", Slots.fill("The [GROUP] is here.", Template.GROUP, "woman"));
        assertTrue(Slots.slotStartsSentence("[MASK] is a nurse.", Template.MASK));
        assertFalse(Slots.slotStartsSentence("The [MASK] is a nurse.", Template.MASK));
    }
}
