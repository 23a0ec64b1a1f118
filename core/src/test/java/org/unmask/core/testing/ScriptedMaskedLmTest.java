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
        assertEquals(lm.logSoftmax(one, 2)[lm.tokenizer().id("nurse").getAsInt()],
                r.slot().target("nurse").logProb(), 1e-5);
        // P(hair | M M M) P(##dress | hair M M) P(##er | hair ##dress M); the script ignores context
        double[] lp = lm.logSoftmax(one, 2);
        double expected = lp[lm.tokenizer().id("hair").getAsInt()] + lp[lm.tokenizer().id("##dress").getAsInt()]
                + lp[lm.tokenizer().id("##er").getAsInt()];
        assertEquals(expected, r.slot().target("hairdresser").logProb(), 1e-5);
    }
}
