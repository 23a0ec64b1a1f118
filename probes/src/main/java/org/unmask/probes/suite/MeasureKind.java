package org.unmask.probes.suite;

import java.util.List;

/** The measures a suite can ask for, by stable id, with the template slots each needs. */
public enum MeasureKind {
    /** Side-by-side top-k predictions at [MASK], one column per term in [GROUP] or [TARGET]. */
    TOP_K("top-k", List.of(Template.MASK), List.of()),
    /** log P(target | group A) − log P(target | group B), target predicted at [MASK], group term in [GROUP]. */
    ASSOCIATION("association", List.of(Template.GROUP, Template.MASK), List.of(Template.TARGET)),
    /** Kurita et al. 2019: group term predicted at [GROUP], normalised by the prior with [TARGET] masked too. */
    KURITA("kurita-log-probability-bias", List.of(Template.GROUP, Template.TARGET), List.of(Template.MASK)),
    /** log P(A term) − log P(B term) at [MASK] given the target in [TARGET] (pronoun prediction). */
    PRONOUN_LEAN("pronoun-lean", List.of(Template.TARGET, Template.MASK), List.of(Template.GROUP)),
    /** Brown et al. 2020: log Σ P(A terms) − log Σ P(B terms) at [MASK] after the target (summed, not averaged). */
    COOCCURRENCE("cooccurrence-log-ratio", List.of(Template.TARGET, Template.MASK), List.of(Template.GROUP)),
    /** Thaler et al. 2024: sampled continuations of the filled template, labelled by the gender words they hold. */
    GENERATION("generation", List.of(Template.TARGET), List.of(Template.MASK, Template.GROUP)),
    /**
     * A question about the target put to an instruction-tuned model through its chat template; the groups' terms
     * are the answers it can give (log P(A answers) − log P(B answers), and which answer it picks).
     */
    ZERO_SHOT("zero-shot", List.of(Template.TARGET), List.of(Template.MASK, Template.GROUP));

    private final String id;
    private final List<String> required;
    private final List<String> forbidden;

    MeasureKind(String id, List<String> required, List<String> forbidden) {
        this.id = id;
        this.required = required;
        this.forbidden = forbidden;
    }

    public String id() {
        return id;
    }

    public List<String> required() {
        return required;
    }

    public List<String> forbidden() {
        return forbidden;
    }

    /** The kind with this id, or null. */
    public static MeasureKind byId(String id) {
        for (MeasureKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        return null;
    }

    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(MeasureKind::id).toList();
    }
}
