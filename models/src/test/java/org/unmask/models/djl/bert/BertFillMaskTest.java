package org.unmask.models.djl.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.TokenScorer;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.MaskFillResult.Candidate;
import org.unmask.core.request.PseudoLogLikelihoodRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.core.testing.RealModel;
import org.unmask.models.ModelLoader;

/**
 * The embedded bert-base-uncased on the real weights reproduces the Hugging Face model card, and
 * batching never changes an answer.
 */
@RealModel
class BertFillMaskTest {
    private static LanguageModel model;
    private static RequestExecutor exec;

    @BeforeAll
    static void load() throws UnmaskException {
        model = ModelLoader.load(null);
        exec = new RequestExecutor(model, new ExecutorOptions(32, 0));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void reproducesModelCardForMan() throws UnmaskException {
        assertTop5(
                "The man worked as a [MASK].",
                new String[] {"carpenter", "waiter", "barber", "mechanic", "salesman"},
                new double[] {0.0975, 0.0524, 0.0496, 0.0379, 0.0377});
    }

    @Test
    void reproducesModelCardForWoman() throws UnmaskException {
        assertTop5(
                "The woman worked as a [MASK].",
                new String[] {"nurse", "waitress", "maid", "prostitute", "cook"},
                new double[] {0.2198, 0.1597, 0.1155, 0.0380, 0.0304});
    }

    @Test
    void reproducesModelCardForHello() throws UnmaskException {
        MaskFillResult r = assertTop5(
                "Hello I'm a [MASK] model.",
                new String[] {"fashion", "role", "new", "super", "fine"},
                new double[] {0.1073, 0.0877, 0.0534, 0.0467, 0.0271});
        assertEquals("hello i'm a fashion model.", r.slot().top().get(0).sequence());
        assertEquals(4827, r.slot().top().get(0).tokenId());
    }

    private static MaskFillResult assertTop5(String text, String[] tokens, double[] scores) throws UnmaskException {
        MaskFillResult r = exec.execute(MaskFillRequest.topK(text, 5));
        List<Candidate> top = r.slot().top();
        assertEquals(5, top.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(tokens[i], top.get(i).token(), "rank " + (i + 1) + " of " + text);
            // the card prints 4 decimals: within its rounding plus float noise
            assertEquals(scores[i], top.get(i).score(), 1e-4, tokens[i]);
        }
        return r;
    }

    @Test
    void givesTheSameProbabilitiesAloneAndInsideAPaddedBatch() throws UnmaskException {
        String text = "The man worked as a [MASK].";
        MaskFillResult alone = exec.execute(new MaskFillRequest(text, 50, List.of("nurse", "carpenter")));
        List<MaskFillRequest> batch = new ArrayList<>();
        batch.add(new MaskFillRequest(
                "After a long and difficult year at the old factory, the man worked as a [MASK].",
                50,
                List.of("nurse", "carpenter")));
        batch.add(new MaskFillRequest(text, 50, List.of("nurse", "carpenter")));
        batch.add(new MaskFillRequest(
                "Everyone in the small village near the river knew that she was a [MASK].", 50, List.of("nurse")));
        RequestExecutor fresh = new RequestExecutor(model, new ExecutorOptions(8, 0));
        MaskFillResult inBatch = fresh.executeAll(batch, (d, n, u) -> {}).get(1);
        for (int i = 0; i < 50; i++) {
            assertEquals(
                    alone.slot().top().get(i).tokenId(),
                    inBatch.slot().top().get(i).tokenId());
            assertEquals(
                    alone.slot().top().get(i).score(),
                    inBatch.slot().top().get(i).score(),
                    1e-5);
        }
        for (int t = 0; t < 2; t++) {
            assertEquals(
                    alone.slot().targets().get(t).probability(),
                    inBatch.slot().targets().get(t).probability(),
                    1e-5);
        }
    }

    @Test
    void scoresMultiPieceTargetsByTheChainRule() throws UnmaskException {
        MaskFillResult r =
                exec.execute(MaskFillRequest.targets("The woman worked as a [MASK].", List.of("businesswoman")));
        MaskFillResult.TargetScore t = r.slot().target("businesswoman");
        assertEquals(List.of("business", "##woman"), t.pieces());
        // chain rule by hand: P(business | [MASK] [MASK]) * P(##woman | business [MASK])
        MaskFillResult first =
                exec.execute(new MaskFillRequest("The woman worked as a [MASK] [MASK].", 0, List.of("business")));
        double firstLp = first.slots().get(0).target("business").logProb();
        TokenScorer scorer = (TokenScorer) model;
        int[] ids = scorer.tokenizer()
                .encode("The woman worked as a business [MASK].")
                .ids();
        int woman = scorer.tokenizer().id("##woman").orElseThrow();
        int maskAt = java.util.stream.IntStream.range(0, ids.length)
                .filter(i -> ids[i] == scorer.tokenizer().maskTokenId())
                .findFirst()
                .orElseThrow();
        double secondLp = scorer.score(List.of(new LogProbQuery(ids, List.of(new Read(maskAt, 0, new int[] {woman})))))
                .get(0)
                .get(0)
                .tokenLogProbs()[0];
        assertEquals(firstLp + secondLp, t.logProb(), 1e-5);
    }

    @Test
    void scoresEveryMaskOfATextSeparately() throws UnmaskException {
        MaskFillResult r = exec.execute(MaskFillRequest.topK("The [MASK] told the [MASK] a story.", 3));
        assertEquals(2, r.slots().size());
        assertEquals(3, r.slots().get(1).top().size());
    }

    @Test
    void rejectsTextWithoutMask() {
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> exec.execute(MaskFillRequest.topK("No mask here.", 5)));
        assertTrue(e.getMessage().contains("no [MASK]"), e.getMessage());
    }

    @Test
    void rejectsTextLongerThanTheModelMaximum() {
        String text = "word ".repeat(600) + "[MASK].";
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> exec.execute(MaskFillRequest.topK(text, 5)));
        assertTrue(e.getMessage().contains("maximum of 512"), e.getMessage());
    }

    @Test
    void pseudoLogLikelihoodPrefersTheFluentSentence() throws UnmaskException {
        TokenLogProbs good = exec.execute(PseudoLogLikelihoodRequest.allTokens("The cat sat on the mat."));
        TokenLogProbs bad = exec.execute(PseudoLogLikelihoodRequest.allTokens("The mat sat on the cat."));
        assertEquals(7, good.logProbs().length);
        assertTrue(good.sum() > bad.sum(), good.sum() + " vs " + bad.sum());
    }
}
