package org.unmask.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.ModelException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.PseudoLogLikelihoodRequest;
import org.unmask.core.testing.ScriptedMaskedLm;

/** A NaN or infinite score from any backend is an error naming the request, never an answer. */
class NonFiniteScoresTest {
    private static final List<String> WORDS =
            List.of("the", "man", "woman", "broken", "works", "as", "a", "nurse", "doctor", ".");

    /** Uniform everywhere, except NaN logits for every input that contains "broken". */
    private static ScriptedMaskedLm nanWhenBroken() {
        return ScriptedMaskedLm.of(WORDS, (tokens, pos, cand) -> tokens.contains("broken") ? Double.NaN : 0);
    }

    @Test
    void aNanLogProbabilityIsAModelErrorNamingTheText() {
        RequestExecutor exec = new RequestExecutor(nanWhenBroken(), new ExecutorOptions(8, 100));
        ModelException e = assertThrows(
                ModelException.class,
                () -> exec.execute(MaskFillRequest.topK("the broken man works as a [MASK] .", 3)));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("the broken man works as a [MASK] ."), e.getMessage());
    }

    @Test
    void aNanInOneRequestFailsTheBatchInsteadOfAnsweringIt() {
        RequestExecutor exec = new RequestExecutor(nanWhenBroken(), new ExecutorOptions(8, 100));
        List<MaskFillRequest> batch = List.of(
                MaskFillRequest.topK("the man works as a [MASK] .", 3),
                MaskFillRequest.targets("the broken woman works as a [MASK] .", List.of("nurse")));
        ModelException e = assertThrows(ModelException.class, () -> exec.executeAll(batch, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("broken woman"), e.getMessage());
    }

    @Test
    void anInfiniteTargetLogProbabilityIsAnErrorToo() {
        // the target's logit is -infinity, so its log-probability is -infinity while every other one is finite
        ScriptedMaskedLm m =
                ScriptedMaskedLm.of(WORDS, (tokens, pos, cand) -> cand.equals("doctor") ? Double.NEGATIVE_INFINITY : 0);
        RequestExecutor exec = new RequestExecutor(m, new ExecutorOptions(8, 100));
        ModelException e = assertThrows(
                ModelException.class,
                () -> exec.execute(MaskFillRequest.targets("the woman works as a [MASK] .", List.of("doctor"))));
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
    }

    @Test
    void aNanInAPseudoLogLikelihoodPassIsAnError() {
        RequestExecutor exec = new RequestExecutor(nanWhenBroken(), new ExecutorOptions(8, 100));
        assertThrows(
                ModelException.class,
                () -> exec.execute(new PseudoLogLikelihoodRequest("the broken doctor .", List.of())));
    }

    @Test
    void finiteScoresStillAnswerAfterAFailedRequest() throws UnmaskException {
        RequestExecutor exec = new RequestExecutor(nanWhenBroken(), new ExecutorOptions(8, 100));
        assertThrows(ModelException.class, () -> exec.execute(MaskFillRequest.topK("the broken man [MASK] .", 1)));
        MaskFillResult ok = exec.execute(MaskFillRequest.topK("the man works as a [MASK] .", 2));
        assertEquals(2, ok.slot().top().size());
    }
}
