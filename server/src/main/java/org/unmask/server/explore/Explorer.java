package org.unmask.server.explore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import org.unmask.core.lexicon.GenderedWords;
import org.unmask.core.lexicon.GenderedWords.Gender;
import org.unmask.core.lexicon.Occupation;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.MaskFillResult.Candidate;
import org.unmask.server.http.ApiException;
import org.unmask.server.model.Cancellation;
import org.unmask.server.model.MaskFiller;

/**
 * The explorer's two questions about a slot template: what the model puts in the mask for each group
 * term (top-k, with gendered words marked by the one gender lexicon, {@link GenderedWords}, as in the audit
 * report), and how strongly each built-in occupation leans towards term A: {@code log P(occ | A) − log P(occ | B)}
 * at the mask, with multi-piece occupations scored exactly by the chain rule. Positive means the occupation is more
 * likely after term A. As in every report (whose group A is female), a male/female pair such as {@code [man|woman]}
 * takes its female term as A, so a positive lean is toward women; any other pair keeps its written order.
 */
public final class Explorer {
    /** One predicted word. */
    public record Completion(String token, double score, Gender gender, String sequence) {}

    /** The completions for one group term. */
    public record GroupCompletions(String term, String text, List<Completion> completions) {
        /** Probability mass of the shown completions that is not gendered. */
        public double neutralMass() {
            return completions.stream()
                    .filter(c -> c.gender == Gender.NEUTRAL)
                    .mapToDouble(Completion::score)
                    .sum();
        }
    }

    /** One occupation's association; rows come sorted from most A-leaning to most B-leaning. */
    public record OccupationScore(
            String occupation, OptionalDouble pctFemale, double logProbA, double logProbB, List<String> pieces) {
        public double logRatio() {
            return logProbA - logProbB;
        }
    }

    /** Association of the occupations with term A over term B. */
    public record Association(String termA, String termB, List<OccupationScore> rows) {}

    private final MaskFiller filler;
    private final GenderedWords lexicon;
    private final List<Occupation> occupations;

    public Explorer(MaskFiller filler, GenderedWords lexicon, List<Occupation> occupations) {
        this.filler = filler;
        this.lexicon = lexicon;
        this.occupations = List.copyOf(occupations);
    }

    /** Top-k completions for every group term, in one model submission; {@code cancel} as in {@link MaskFiller}. */
    public List<GroupCompletions> complete(SlotTemplate template, int topK, Cancellation cancel) throws ApiException {
        List<MaskFillRequest> requests = new ArrayList<>();
        for (String term : template.terms()) {
            String text = template.fill(term);
            filler.checkText("template", text);
            requests.add(MaskFillRequest.topK(text, topK));
        }
        List<MaskFillResult> results = filler.fill(requests, cancel);
        List<GroupCompletions> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            List<Completion> cs = new ArrayList<>();
            for (Candidate c : results.get(i).slot().top()) {
                cs.add(new Completion(c.token(), c.score(), lexicon.classify(c.token()), c.sequence()));
            }
            out.add(new GroupCompletions(
                    template.terms().get(i), requests.get(i).text(), cs));
        }
        return out;
    }

    /**
     * Occupation association of the first two terms, oriented as the reports are (female term as A);
     * {@code cancel} as in {@link MaskFiller}.
     */
    public Association associate(SlotTemplate template, Cancellation cancel) throws ApiException {
        List<String> names = occupations.stream().map(Occupation::name).toList();
        String first = template.terms().get(0);
        String second = template.terms().get(1);
        boolean swap = lexicon.classify(first) == Gender.MALE && lexicon.classify(second) == Gender.FEMALE;
        String a = swap ? second : first;
        String b = swap ? first : second;
        MaskFillRequest ra = new MaskFillRequest(template.fill(a), 0, names);
        MaskFillRequest rb = new MaskFillRequest(template.fill(b), 0, names);
        filler.checkText("template", ra.text());
        filler.checkText("template", rb.text());
        List<MaskFillResult> res = filler.fill(List.of(ra, rb), cancel);
        List<OccupationScore> rows = new ArrayList<>();
        for (int i = 0; i < occupations.size(); i++) {
            MaskFillResult.TargetScore sa = res.get(0).slot().targets().get(i);
            MaskFillResult.TargetScore sb = res.get(1).slot().targets().get(i);
            rows.add(new OccupationScore(
                    names.get(i), occupations.get(i).pctFemale(), sa.logProb(), sb.logProb(), sa.pieces()));
        }
        rows.sort(Comparator.comparingDouble(OccupationScore::logRatio).reversed());
        return new Association(a, b, rows);
    }
}
