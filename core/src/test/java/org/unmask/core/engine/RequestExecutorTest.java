package org.unmask.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.Encoding;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.request.PseudoLogLikelihoodRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.core.testing.ScriptedMaskedLm;

class RequestExecutorTest {
    private static final List<String> WORDS = List.of(
            "the",
            "man",
            "woman",
            "works",
            "as",
            "a",
            "nurse",
            "doctor",
            "carpenter",
            "he",
            "she",
            "said",
            ".",
            "car",
            "##pen",
            "##ter");

    private static ScriptedMaskedLm model() {
        // a deterministic, position- and context-dependent script so answers differ per input
        return ScriptedMaskedLm.of(
                WORDS,
                (tokens, pos, cand) -> (cand.hashCode() % 7) * 0.3
                        + pos * 0.1
                        + (tokens.contains("woman") && cand.equals("nurse") ? 2 : 0));
    }

    @Test
    void runsEqualRequestsOnce() throws UnmaskException {
        ScriptedMaskedLm m = model();
        RequestExecutor exec = new RequestExecutor(m, new ExecutorOptions(8, 100));
        MaskFillRequest r = MaskFillRequest.topK("the man works as a [MASK] .", 3);
        List<MaskFillResult> out = exec.executeAll(List.of(r, r, r), ProgressListener.NONE);
        assertEquals(1, m.forwardPasses());
        assertEquals(out.get(0), out.get(2));
        assertEquals(3, exec.stats().requests());
        assertEquals(1, exec.stats().uniqueRequests());
    }

    @Test
    void mergesRequestsThatNeedTheSameForwardPass() throws UnmaskException {
        ScriptedMaskedLm m = model();
        RequestExecutor exec = new RequestExecutor(m, new ExecutorOptions(8, 100));
        String text = "the woman works as a [MASK] .";
        List<ModelRequest<?>> reqs = List.of(
                MaskFillRequest.targets(text, List.of("nurse")),
                MaskFillRequest.targets(text, List.of("doctor")),
                MaskFillRequest.topK(text, 5));
        var answers = exec.executeMixed(reqs, ProgressListener.NONE);
        assertEquals(1, m.forwardPasses());
        int[] ids = m.tokenizer().encode(text).ids();
        double[] oracle = m.logSoftmax(ids, 6);
        MaskFillResult nurse = (MaskFillResult) answers.get(reqs.get(0));
        assertEquals(
                oracle[m.tokenizer().id("nurse").getAsInt()],
                nurse.slot().target("nurse").logProb(),
                1e-6);
        MaskFillResult top = (MaskFillResult) answers.get(reqs.get(2));
        assertEquals("nurse", top.slot().top().get(0).token());
    }

    @Test
    void answersRepeatsFromTheCache() throws UnmaskException {
        ScriptedMaskedLm m = model();
        RequestExecutor exec = new RequestExecutor(m, new ExecutorOptions(8, 100));
        MaskFillRequest r = MaskFillRequest.topK("the man said [MASK] .", 2);
        exec.execute(r);
        exec.execute(r);
        assertEquals(1, m.forwardPasses());
        assertEquals(1, exec.stats().cacheHits());
    }

    @Test
    void splitsWorkIntoBatchesOfTheConfiguredSize() throws UnmaskException {
        ScriptedMaskedLm m = model();
        RequestExecutor exec = new RequestExecutor(m, new ExecutorOptions(4, 0));
        List<MaskFillRequest> reqs = new ArrayList<>();
        String[] fills = {"man", "woman", "nurse", "doctor", "he", "she", "the", "a", "as", "works"};
        for (String w : fills) {
            reqs.add(MaskFillRequest.topK("the " + w + " said [MASK] .", 1));
        }
        exec.executeAll(reqs, ProgressListener.NONE);
        assertEquals(10, m.forwardPasses());
        assertEquals(3, exec.stats().batches());
    }

    @Test
    void scoresMultiPieceTargetsByTheChainRule() throws UnmaskException {
        ScriptedMaskedLm m = model();
        RequestExecutor exec = new RequestExecutor(m, new ExecutorOptions(8, 0));
        MaskFillResult r = exec.execute(MaskFillRequest.targets("the man works as a [MASK] .", List.of("carpenter")));
        MaskFillResult.TargetScore t = r.slot().target("carpenter");
        var tok = m.tokenizer();
        List<String> pieces = List.of(tok.encodeWithoutSpecials("carpenter").tokens());
        assertEquals(pieces, t.pieces());
        int[] widened = tok.encode("the man works as a " + "[MASK] ".repeat(pieces.size()) + ".")
                .ids();
        int p = 6;
        double expected = 0;
        for (int j = 0; j < pieces.size(); j++) {
            int id = tok.id(pieces.get(j)).getAsInt();
            expected += m.logSoftmax(widened, p + j)[id];
            widened[p + j] = id;
        }
        assertEquals(expected, t.logProb(), 1e-6);
    }

    @Test
    void pseudoLogLikelihoodMasksOneTokenAtATime() throws UnmaskException {
        ScriptedMaskedLm m = model();
        RequestExecutor exec = new RequestExecutor(m, new ExecutorOptions(8, 0));
        String text = "the woman said she works .";
        TokenLogProbs pll = exec.execute(PseudoLogLikelihoodRequest.allTokens(text));
        Encoding e = m.tokenizer().encode(text);
        double expected = 0;
        for (int i = 1; i < e.length() - 1; i++) {
            int[] masked = e.ids().clone();
            masked[i] = m.tokenizer().maskTokenId();
            expected += m.logSoftmax(masked, i)[e.ids()[i]];
        }
        assertEquals(e.length() - 2, pll.logProbs().length);
        assertEquals(expected, pll.sum(), 1e-6);
        assertEquals(e.length() - 2, m.forwardPasses());
    }
}
