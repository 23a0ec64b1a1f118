package org.unmask.mitigation.cda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.mitigation.cda.CdaOptions.WordLists;
import org.unmask.mitigation.cda.CdaTransform.Emitted;
import org.unmask.mitigation.cda.CdaTransform.Kind;
import org.unmask.mitigation.cda.CdaTransform.Variant;

class CdaTransformTest {
    @Test
    void keepOriginalsEmitsOriginalThenCounterfactual() {
        CdaTransform.Outcome o = new CdaTransform(CdaOptions.DEFAULT).apply("He is a doctor.");
        assertEquals(
                List.of(
                        new Emitted("He is a doctor.", Variant.ORIGINAL),
                        new Emitted("She is a doctor.", Variant.COUNTERFACTUAL)),
                o.outputs());
        assertEquals(Kind.SWAPPED, o.kind());
        assertEquals(1, o.swaps());
    }

    @Test
    void withoutOriginalsEmitsOnlyTheCounterfactual() {
        CdaTransform t = new CdaTransform(new CdaOptions(false, false, false, WordLists.WINOBIAS));
        assertEquals(
                List.of(new Emitted("She is a doctor.", Variant.COUNTERFACTUAL)),
                t.apply("He is a doctor.").outputs());
    }

    @Test
    void unswappedDocumentsAreKeptOrDroppedOnRequest() {
        CdaTransform keep = new CdaTransform(CdaOptions.DEFAULT);
        CdaTransform drop = new CdaTransform(new CdaOptions(true, true, false, WordLists.WINOBIAS));
        assertEquals(
                List.of(new Emitted("It rained.", Variant.UNCHANGED)),
                keep.apply("It rained.").outputs());
        assertEquals(Kind.KEPT_UNSWAPPED, keep.apply("It rained.").kind());
        assertTrue(drop.apply("It rained.").outputs().isEmpty());
        assertEquals(Kind.DROPPED_UNSWAPPED, drop.apply("It rained.").kind());
    }

    @Test
    void anonymisationAppliesToTheEmittedOriginalToo() {
        CdaTransform t = new CdaTransform(new CdaOptions(true, false, true, WordLists.WINOBIAS));
        CdaTransform.Outcome o = t.apply("John said he was tired.");
        assertEquals("[NAME] said he was tired.", o.outputs().get(0).text());
        assertEquals("[NAME] said she was tired.", o.outputs().get(1).text());
        assertEquals(1, o.anonymized());
    }
}
