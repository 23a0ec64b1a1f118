package org.unmask.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.request.PseudoLogLikelihoodRequest;
import org.unmask.core.request.TokenLogProbs;

/** Lowers pseudo-log-likelihood to one masked copy of the sentence per scored token. */
final class PllLowering {
    private PllLowering() {}

    static Plan<TokenLogProbs> plan(PseudoLogLikelihoodRequest req, TextTokenizer tok, int maxLength)
            throws InvalidInputException {
        if (tok.maskTokenId() < 0) {
            throw new InvalidInputException(
                    "pseudo-log-likelihood needs a masked language model",
                    "use a BERT-family model, or the causal variant of the benchmark");
        }
        Encoding enc = MaskedInputs.encodePlain(tok, req.text(), maxLength);
        List<Integer> positions = new ArrayList<>(req.positions());
        if (positions.isEmpty()) {
            for (int i = 0; i < enc.length(); i++) {
                if (!enc.special()[i]) {
                    positions.add(i);
                }
            }
        }
        List<LogProbQuery> queries = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int p : positions) {
            if (p < 0 || p >= enc.length()) {
                throw new InvalidInputException(
                        "token position " + p + " outside the " + enc.length() + " tokens of \""
                                + MaskedInputs.abbreviate(req.text()) + "\"",
                        "");
            }
            int[] masked = enc.ids().clone();
            masked[p] = tok.maskTokenId();
            queries.add(new LogProbQuery(masked, List.of(new Read(p, 0, new int[] {enc.ids()[p]}))));
            tokens.add(enc.tokens()[p]);
        }
        return new Plan<>(queries, answers -> {
            double[] lp = new double[answers.size()];
            for (int i = 0; i < lp.length; i++) {
                lp[i] = answers.get(i).get(0).tokenLogProbs()[0];
            }
            return new TokenLogProbs(positions, tokens, lp);
        });
    }
}
