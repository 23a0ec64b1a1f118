package org.unmask.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.request.ContinuationLogLikelihoodRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.MaskFillResult.Candidate;
import org.unmask.core.request.MaskFillResult.Slot;
import org.unmask.core.request.MaskFillResult.TargetScore;
import org.unmask.core.request.NextTokenRequest;
import org.unmask.core.request.TokenLogProbs;

/**
 * Lowers causal requests. A continuation of n tokens needs one forward pass over prompt + tokens,
 * reading the next-token distribution at each of the n positions before them.
 */
final class CausalLowering {
    private CausalLowering() {}

    static Plan<MaskFillResult> nextToken(NextTokenRequest req, TextTokenizer tok, int maxLength)
            throws InvalidInputException {
        int[] prompt = MaskedInputs.encodePlain(tok, req.prompt(), maxLength).ids();
        if (prompt.length == 0) {
            throw new InvalidInputException("empty prompt", "give some text for the model to continue");
        }
        List<LogProbQuery> queries = new ArrayList<>();
        List<Read> main = List.of(new Read(prompt.length - 1, req.topK(), new int[0]));
        queries.add(new LogProbQuery(prompt, main));
        List<List<String>> pieces = new ArrayList<>();
        for (String t : req.targets()) {
            Encoding te = tok.encodeWithoutSpecials(t);
            if (te.length() == 0) {
                throw new InvalidInputException("target \"" + t + "\" has no tokens", "give a non-empty word");
            }
            pieces.add(List.of(te.tokens()));
            queries.add(continuationQuery(prompt, te.ids(), maxLength, req.prompt()));
        }
        return new Plan<>(queries, answers -> {
            LogProbs head = answers.get(0).get(0);
            List<Candidate> top = new ArrayList<>();
            for (int k = 0; k < head.topIds().length; k++) {
                int id = head.topIds()[k];
                int[] seq = Arrays.copyOf(prompt, prompt.length + 1);
                seq[prompt.length] = id;
                double lp = head.topLogProbs()[k];
                top.add(new Candidate(id, tok.display(id), Math.exp(lp), lp, tok.decode(seq)));
            }
            List<TargetScore> scores = new ArrayList<>();
            for (int t = 0; t < pieces.size(); t++) {
                scores.add(new TargetScore(req.targets().get(t), pieces.get(t), sum(answers.get(t + 1))));
            }
            return new MaskFillResult(List.of(new Slot(0, top, scores)));
        });
    }

    static Plan<TokenLogProbs> continuation(ContinuationLogLikelihoodRequest req, TextTokenizer tok, int maxLength)
            throws InvalidInputException {
        int[] context = MaskedInputs.encodePlain(tok, req.context(), maxLength).ids();
        if (context.length == 0) {
            throw new InvalidInputException("empty context and the tokenizer adds no beginning-of-text token",
                    "give a context, or score the text with a model whose tokenizer adds BOS");
        }
        Encoding cont = tok.encodeWithoutSpecials(req.continuation());
        LogProbQuery q = continuationQuery(context, cont.ids(), maxLength, req.continuation());
        List<Integer> positions = new ArrayList<>();
        for (int j = 0; j < cont.length(); j++) {
            positions.add(context.length + j);
        }
        return new Plan<>(List.of(q), answers -> {
            double[] lp = new double[cont.length()];
            for (int j = 0; j < lp.length; j++) {
                lp[j] = answers.get(0).get(j).tokenLogProbs()[0];
            }
            return new TokenLogProbs(positions, List.of(cont.tokens()), lp);
        });
    }

    private static LogProbQuery continuationQuery(int[] prompt, int[] cont, int maxLength, String text)
            throws InvalidInputException {
        int[] ids = Arrays.copyOf(prompt, prompt.length + cont.length);
        System.arraycopy(cont, 0, ids, prompt.length, cont.length);
        // the last continuation token is only predicted, never fed
        int fed = ids.length - 1;
        MaskedInputs.checkLength(fed, maxLength, text);
        int[] input = Arrays.copyOf(ids, fed);
        List<Read> reads = new ArrayList<>();
        for (int j = 0; j < cont.length; j++) {
            reads.add(new Read(prompt.length - 1 + j, 0, new int[] {cont[j]}));
        }
        return new LogProbQuery(input, reads);
    }

    private static double sum(List<LogProbs> reads) {
        double s = 0;
        for (LogProbs r : reads) {
            s += r.tokenLogProbs()[0];
        }
        return s;
    }
}
