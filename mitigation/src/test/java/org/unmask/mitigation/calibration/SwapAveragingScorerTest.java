package org.unmask.mitigation.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.mitigation.cda.SwapLexicon;
import org.unmask.mitigation.testing.ScriptedScorer;
import org.unmask.mitigation.testing.WordTokenizer;

class SwapAveragingScorerTest {
    // ids: 4 he, 5 she, 6 his, 7 her, 8 him, 9 nurse, 10 doctor, 11 is, 12 a, 13 car, 14 man, 15 woman, 16 the,
    // 17 said, 18 tall
    private final WordTokenizer tok = new WordTokenizer("he", "she", "his", "her", "him", "nurse", "doctor", "is",
            "a", "car", "man", "woman", "the", "said", "tall");

    /** A biased script: occupations follow the pronoun, pronouns follow the noun and lean male by default. */
    private final ScriptedScorer parent = new ScriptedScorer(tok, (ids, pos) -> {
        double[] w = new double[tok.vocabularySize()];
        java.util.Arrays.fill(w, 0.01);
        boolean he = contains(ids, 4) || contains(ids, 14);
        boolean she = contains(ids, 5) || contains(ids, 15);
        w[10] = he ? 6 : she ? 1 : 3; // doctor
        w[9] = he ? 1 : she ? 6 : 2; // nurse
        w[4] = contains(ids, 14) ? 7 : contains(ids, 15) ? 1 : 5; // he
        w[5] = contains(ids, 14) ? 1 : contains(ids, 15) ? 7 : 2; // she
        w[18] = 0.5;
        return w;
    });

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }

    private double prob(SwapAveragingScorer s, String text, String word) throws Exception {
        RequestExecutor ex = new RequestExecutor(s, new ExecutorOptions(8, 0));
        return ex.execute(MaskFillRequest.targets(text, List.of(word))).slot().target(word).probability();
    }

    @Test
    void removesTheOccupationAssociationOfThePronoun() throws Exception {
        SwapAveragingScorer s = new SwapAveragingScorer(parent, SwapLexicon.winoBias());
        double heDoctor = prob(s, "he is a [MASK]", "doctor");
        double sheDoctor = prob(s, "she is a [MASK]", "doctor");
        assertEquals(heDoctor, sheDoctor, 1e-6);
        // and it is the mean of the parent's two answers
        double[] pHe = parent.probabilities(tok.encode("he is a [MASK]").ids(), 4);
        double[] pShe = parent.probabilities(tok.encode("she is a [MASK]").ids(), 4);
        assertEquals(0.5 * pHe[10] + 0.5 * pShe[10], heDoctor, 1e-6);
        assertTrue(pHe[10] > 2 * pShe[10], "the parent is biased to begin with");
    }

    @Test
    void keepsCoreferenceBecauseTheSwappedRunIsReadThroughThePermutation() throws Exception {
        SwapAveragingScorer s = new SwapAveragingScorer(parent, SwapLexicon.winoBias());
        double he = prob(s, "the man said [MASK]", "he");
        double she = prob(s, "the man said [MASK]", "she");
        assertTrue(he > 3 * she, "he " + he + " she " + she);
        assertEquals(he, prob(s, "the woman said [MASK]", "she"), 1e-6);
    }

    @Test
    void equalisesPronounsWhenTheInputHasNoGenderedWord() throws Exception {
        SwapAveragingScorer s = new SwapAveragingScorer(parent, SwapLexicon.winoBias());
        assertEquals(prob(s, "[MASK] is a nurse", "he"), prob(s, "[MASK] is a nurse", "she"), 1e-6);
    }

    @Test
    void topKIsSortedAndAgreesWithTargetScores() throws Exception {
        SwapAveragingScorer s = new SwapAveragingScorer(parent, SwapLexicon.winoBias());
        RequestExecutor ex = new RequestExecutor(s, new ExecutorOptions(8, 0));
        MaskFillResult r = ex.execute(new MaskFillRequest("he is a [MASK]", 3, List.of("doctor", "nurse", "he")));
        List<MaskFillResult.Candidate> top = r.slot().top();
        assertEquals(3, top.size());
        for (int i = 1; i < top.size(); i++) {
            assertTrue(top.get(i - 1).score() >= top.get(i).score());
        }
        for (MaskFillResult.Candidate c : top) {
            if (List.of("doctor", "nurse", "he").contains(c.token())) {
                assertEquals(r.slot().target(c.token()).probability(), c.score(), 1e-6);
            }
        }
        // he and she tie after averaging on a sentence whose gendered word is swapped
        assertEquals(r.slot().target("he").probability(), prob(s, "he is a [MASK]", "she"), 1e-6);
    }

    @Test
    void isAModelOfItsOwnThatNamesItsParent() {
        SwapAveragingScorer s = new SwapAveragingScorer(parent, SwapLexicon.winoBias());
        assertEquals("scripted", s.info().lineage().get("parent"));
        assertTrue(s.info().lineage().get("method").startsWith(SwapAveragingScorer.METHOD));
        assertNotEquals(parent.info().fingerprint(), s.info().fingerprint());
        assertEquals("scripted+counterfactual-averaging", s.info().id());
    }

    @Test
    void swapsHerByTheFollowingToken() {
        TokenSwapMap m = new TokenSwapMap(tok, SwapLexicon.winoBias());
        // [CLS] her car [SEP] -> his car ; [CLS] the her [SEP] -> him ; he -> she ; nurse unchanged
        assertArrayEquals(new int[] {1, 6, 13, 2}, m.inputSwap(new int[] {1, 7, 13, 2}));
        assertArrayEquals(new int[] {1, 16, 8, 2}, m.inputSwap(new int[] {1, 16, 7, 2}));
        assertArrayEquals(new int[] {5, 9, 4, 7}, m.inputSwap(new int[] {4, 9, 5, 8}));
        assertEquals(7, m.outputPermutation(6));
        assertEquals(6, m.outputPermutation(7));
        assertEquals(8, m.outputPermutation(8));
        assertEquals(9, m.outputPermutation(9));
    }
}
