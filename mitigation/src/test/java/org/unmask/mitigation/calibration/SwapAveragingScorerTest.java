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
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.core.testing.WordPieceTokenizer;
import org.unmask.mitigation.cda.SwapLexicon;

class SwapAveragingScorerTest {
    private final WordPieceTokenizer tok = new WordPieceTokenizer(List.of(
            "he", "she", "his", "her", "him", "nurse", "doctor", "is", "a", "car", "man", "woman", "the", "said",
            "tall"));

    /**
     * A biased script (logits are log-weights): occupations follow the pronoun, pronouns follow the noun and lean
     * male by default.
     */
    private final ScriptedMaskedLm parent = new ScriptedMaskedLm(tok, (words, pos, w) -> {
                boolean he = words.contains("he") || words.contains("man");
                boolean she = words.contains("she") || words.contains("woman");
                double weight = switch (w) {
                    case "doctor" -> he ? 6 : she ? 1 : 3;
                    case "nurse" -> he ? 1 : she ? 6 : 2;
                    case "he" -> words.contains("man") ? 7 : words.contains("woman") ? 1 : 5;
                    case "she" -> words.contains("man") ? 1 : words.contains("woman") ? 7 : 2;
                    case "tall" -> 0.5;
                    default -> 0.01;
                };
                return Math.log(weight);
            })
            .withId("scripted");

    /** The parent's probability of {@code word} at {@code position} of {@code text}. */
    private double parentProb(String text, int position, String word) {
        return Math.exp(
                parent.logSoftmax(tok.encode(text).ids(), position)[tok.id(word).getAsInt()]);
    }

    /** The ids of {@code tokens}. */
    private int[] ids(String... tokens) {
        int[] out = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = tok.id(tokens[i]).getAsInt();
        }
        return out;
    }

    private double prob(SwapAveragingScorer s, String text, String word) throws Exception {
        RequestExecutor ex = new RequestExecutor(s, new ExecutorOptions(8, 0));
        return ex.execute(MaskFillRequest.targets(text, List.of(word)))
                .slot()
                .target(word)
                .probability();
    }

    @Test
    void removesTheOccupationAssociationOfThePronoun() throws Exception {
        SwapAveragingScorer s = new SwapAveragingScorer(parent, SwapLexicon.winoBias());
        double heDoctor = prob(s, "he is a [MASK]", "doctor");
        double sheDoctor = prob(s, "she is a [MASK]", "doctor");
        assertEquals(heDoctor, sheDoctor, 1e-6);
        // and it is the mean of the parent's two answers
        double pHe = parentProb("he is a [MASK]", 4, "doctor");
        double pShe = parentProb("she is a [MASK]", 4, "doctor");
        assertEquals(0.5 * pHe + 0.5 * pShe, heDoctor, 1e-6);
        assertTrue(pHe > 2 * pShe, "the parent is biased to begin with");
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
        assertArrayEquals(ids("[CLS]", "his", "car", "[SEP]"), m.inputSwap(ids("[CLS]", "her", "car", "[SEP]")));
        assertArrayEquals(ids("[CLS]", "the", "him", "[SEP]"), m.inputSwap(ids("[CLS]", "the", "her", "[SEP]")));
        assertArrayEquals(ids("she", "nurse", "he", "her"), m.inputSwap(ids("he", "nurse", "she", "him")));
        assertEquals(ids("her")[0], m.outputPermutation(ids("his")[0]));
        assertEquals(ids("his")[0], m.outputPermutation(ids("her")[0]));
        assertEquals(ids("him")[0], m.outputPermutation(ids("him")[0]));
        assertEquals(ids("nurse")[0], m.outputPermutation(ids("nurse")[0]));
    }
}
