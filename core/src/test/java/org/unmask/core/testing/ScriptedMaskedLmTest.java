package org.unmask.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;

class ScriptedMaskedLmTest {
    private final ScriptedMaskedLm lm = ScriptedMaskedLm.of(
            List.of("the", "man", "nurse", "hair", "##dress", "##er", "."),
            (tokens, pos, cand) -> cand.equals("nurse") ? 2 : cand.equals("hair") ? 1 : 0);

    @Test
    void splitsUnknownWordsIntoLongestPieces() {
        assertEquals(List.of("hair", "##dress", "##er"), lm.tokenizer().pieces("hairdresser"));
    }

    @Test
    void executorScoresMultiPieceTargetsByTheChainRule() throws UnmaskException {
        RequestExecutor exec = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
        MaskFillResult r = exec.execute(MaskFillRequest.targets("the [MASK] .", List.of("nurse", "hairdresser")));
        int[] one = lm.tokenizer().encode("the [MASK] .").ids();
        assertEquals(
                lm.logSoftmax(one, 2)[lm.tokenizer().id("nurse").getAsInt()],
                r.slot().target("nurse").logProb(),
                1e-5);
        // P(hair | M M M) P(##dress | hair M M) P(##er | hair ##dress M); the script ignores context
        double[] lp = lm.logSoftmax(one, 2);
        double expected = lp[lm.tokenizer().id("hair").getAsInt()]
                + lp[lm.tokenizer().id("##dress").getAsInt()]
                + lp[lm.tokenizer().id("##er").getAsInt()];
        assertEquals(expected, r.slot().target("hairdresser").logProb(), 1e-5);
    }

    @Test
    void growingTokenizerLearnsUnknownWordsButKeepsSeededPieces() {
        WordPieceTokenizer tok = WordPieceTokenizer.growing("du", "##mb");
        assertEquals(
                List.of("[CLS]", "the", "man", "was", "du", "##mb", ".", "[SEP]"),
                List.of(tok.encode("The man was dumb.").tokens()));
        assertEquals(tok.id("man").getAsInt(), tok.encode("man").ids()[1], "a learnt word keeps its id");
        assertEquals(
                "the man was dumb .", tok.decode(tok.encode("The man was dumb.").ids()));
    }

    @Test
    void logProbsModelAnswersTheScriptedValueUnnormalisedAndRecordsItsQueries() throws UnmaskException {
        ScriptedMaskedLm raw = ScriptedMaskedLm.logProbs(
                WordPieceTokenizer.growing(), (tokens, pos, cand) -> cand.equals("nurse") ? -1.5 : -3.0);
        RequestExecutor exec = new RequestExecutor(raw, ExecutorOptions.DEFAULT);
        MaskFillResult r = exec.execute(MaskFillRequest.targets("the [MASK] .", List.of("nurse")));
        assertEquals(-1.5, r.slot().target("nurse").logProb(), 1e-6);
        assertEquals(1, raw.queries().size());
        assertEquals(List.of(1), raw.batchSizes());
    }
}
