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
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.MaskFillResult.Candidate;
import org.unmask.core.request.MaskFillResult.Slot;
import org.unmask.core.request.MaskFillResult.TargetScore;

/**
 * Lowers fill-mask to forward passes. Single-piece targets and top-k share one pass per text;
 * a target of n pieces adds n passes, one per chain-rule step.
 */
final class MaskFillLowering {
    private MaskFillLowering() {}

    static Plan<MaskFillResult> plan(MaskFillRequest req, TextTokenizer tok, int maxLength)
            throws InvalidInputException {
        Encoding enc = MaskedInputs.encodeMasked(tok, req.text(), maxLength);
        int[] ids = enc.ids();
        List<Integer> masks = MaskedInputs.maskPositions(tok, enc);
        List<int[]> targetPieces = new ArrayList<>();
        List<List<String>> targetPieceStrings = new ArrayList<>();
        for (String t : req.targets()) {
            Encoding te = tok.encodeWithoutSpecials(t);
            if (te.length() == 0) {
                throw new InvalidInputException("target \"" + t + "\" has no tokens", "give a non-empty word");
            }
            targetPieces.add(te.ids());
            targetPieceStrings.add(List.of(te.tokens()));
        }
        int[] single = targetPieces.stream()
                .filter(p -> p.length == 1)
                .mapToInt(p -> p[0])
                .toArray();

        List<LogProbQuery> queries = new ArrayList<>();
        List<Read> mainReads = new ArrayList<>();
        for (int p : masks) {
            mainReads.add(new Read(p, req.topK(), single));
        }
        queries.add(new LogProbQuery(ids, mainReads));
        // chain-rule queries for multi-piece targets: slot -> target -> steps
        int[][][] chainIndex = new int[masks.size()][targetPieces.size()][];
        for (int s = 0; s < masks.size(); s++) {
            int p = masks.get(s);
            for (int t = 0; t < targetPieces.size(); t++) {
                int[] pieces = targetPieces.get(t);
                if (pieces.length == 1) {
                    continue;
                }
                int[] widened = widen(ids, p, pieces.length, tok.maskTokenId());
                MaskedInputs.checkLength(widened.length, maxLength, req.text());
                chainIndex[s][t] = new int[pieces.length];
                for (int j = 0; j < pieces.length; j++) {
                    int[] step = widened.clone();
                    System.arraycopy(pieces, 0, step, p, j);
                    chainIndex[s][t][j] = queries.size();
                    queries.add(new LogProbQuery(step, List.of(new Read(p + j, 0, new int[] {pieces[j]}))));
                }
            }
        }
        return new Plan<>(queries, answers -> {
            List<Slot> slots = new ArrayList<>();
            for (int s = 0; s < masks.size(); s++) {
                LogProbs main = answers.get(0).get(s);
                int p = masks.get(s);
                List<Candidate> top = new ArrayList<>();
                for (int k = 0; k < main.topIds().length; k++) {
                    int id = main.topIds()[k];
                    int[] filled = ids.clone();
                    filled[p] = id;
                    double lp = main.topLogProbs()[k];
                    top.add(new Candidate(id, tok.display(id), Math.exp(lp), lp, tok.decode(filled)));
                }
                List<TargetScore> scores = new ArrayList<>();
                int singleIdx = 0;
                for (int t = 0; t < targetPieces.size(); t++) {
                    double lp;
                    if (targetPieces.get(t).length == 1) {
                        lp = main.tokenLogProbs()[singleIdx++];
                    } else {
                        lp = 0;
                        for (int q : chainIndex[s][t]) {
                            lp += answers.get(q).get(0).tokenLogProbs()[0];
                        }
                    }
                    scores.add(new TargetScore(req.targets().get(t), targetPieceStrings.get(t), lp));
                }
                slots.add(new Slot(s, top, scores));
            }
            return new MaskFillResult(slots);
        });
    }

    /** Replaces the mask at {@code p} with {@code n} masks. */
    static int[] widen(int[] ids, int p, int n, int maskId) {
        int[] out = new int[ids.length + n - 1];
        System.arraycopy(ids, 0, out, 0, p);
        Arrays.fill(out, p, p + n, maskId);
        System.arraycopy(ids, p + 1, out, p + n, ids.length - p - 1);
        return out;
    }
}
