package org.unmask.mitigation.cda;

import java.util.ArrayList;
import java.util.List;

/**
 * Counterfactual augmentation of one document, shared by the file transform ({@link CorpusAugmenter}) and the
 * Spark job so both give identical output. Anonymisation (when on) runs first, so an emitted original never
 * contains what the counterfactual hides. Stateless after construction and safe to share between threads.
 */
public final class CdaTransform {
    private final CdaOptions options;
    private final GenderSwapper swapper;
    private final Anonymizer anonymizer;

    public CdaTransform(CdaOptions options) {
        this.options = options;
        this.swapper = new GenderSwapper(options.lists().load());
        this.anonymizer = options.anonymize() ? Anonymizer.withShippedNames() : null;
    }

    public CdaOptions options() {
        return options;
    }

    public SwapLexicon lexicon() {
        return swapper.lexicon();
    }

    /** Augments one document. */
    public Outcome apply(String text) {
        int anonymized = 0;
        String base = text;
        if (anonymizer != null) {
            Anonymizer.Result a = anonymizer.anonymize(text);
            base = a.text();
            anonymized = a.replacements();
        }
        SwapResult s = swapper.swap(base);
        List<Emitted> out = new ArrayList<>(2);
        Kind kind;
        if (s.swaps() == 0) {
            kind = options.dropUnswapped() ? Kind.DROPPED_UNSWAPPED : Kind.KEPT_UNSWAPPED;
            if (kind == Kind.KEPT_UNSWAPPED) {
                out.add(new Emitted(base, Variant.UNCHANGED));
            }
        } else {
            kind = Kind.SWAPPED;
            if (options.keepOriginals()) {
                out.add(new Emitted(base, Variant.ORIGINAL));
            }
            out.add(new Emitted(s.text(), Variant.COUNTERFACTUAL));
        }
        return new Outcome(List.copyOf(out), kind, s.swaps(), anonymized);
    }

    /** What happened to a document. */
    public enum Kind {
        /** At least one gendered word was swapped. */
        SWAPPED,
        /** No gendered word; passed through. */
        KEPT_UNSWAPPED,
        /** No gendered word; dropped ({@link CdaOptions#dropUnswapped()}). */
        DROPPED_UNSWAPPED
    }

    /** Which version of a document an output is. */
    public enum Variant {
        ORIGINAL,
        COUNTERFACTUAL,
        UNCHANGED;

        /** The value written to the {@code cda} field of JSONL output. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One emitted document.
     *
     * @param text its text
     * @param variant original, counterfactual or unchanged
     */
    public record Emitted(String text, Variant variant) {}

    /**
     * The result for one input document.
     *
     * @param outputs documents to emit, in order (0, 1 or 2)
     * @param kind what happened
     * @param swaps words swapped
     * @param anonymized spans replaced by placeholders
     */
    public record Outcome(List<Emitted> outputs, Kind kind, int swaps, int anonymized) {}
}
