package org.unmask.corpus.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** % female with its Wilson interval, from the one statistics package (core {@code Proportions.wilson}). */
class AssociationTest {
    @Test
    void pctFemaleHasTheWilsonScoreIntervalInPercent() {
        Association a = Association.of(7, 3, OptionalDouble.empty());
        assertEquals(30, a.pctFemale().getAsDouble(), 1e-12);
        // Wilson (1927) for 3 of 10 at z = 1.959964, as computed by hand
        assertEquals(10.7791267406301, a.ciLow().getAsDouble(), 1e-9);
        assertEquals(60.322185253885465, a.ciHigh().getAsDouble(), 1e-9);
        Association none = Association.of(5, 0, OptionalDouble.of(50));
        assertEquals(0, none.ciLow().getAsDouble(), 0.0);
        assertEquals(43.44824647831748, none.ciHigh().getAsDouble(), 1e-9);
        assertTrue(Association.of(0, 0, OptionalDouble.empty()).ciLow().isEmpty());
    }
}
