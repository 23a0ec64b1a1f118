package org.unmask.core.request;

import java.util.List;

/**
 * The answer to a {@link MaskFillRequest} or {@link NextTokenRequest}: one {@link Slot} per mask (or
 * one for the next token).
 */
public record MaskFillResult(List<Slot> slots) {
    public MaskFillResult {
        slots = List.copyOf(slots);
    }

    /** The first (often the only) slot. */
    public Slot slot() {
        return slots.get(0);
    }

    /**
     * Predictions for one mask.
     *
     * @param index which mask in the text, from 0
     * @param top the most likely tokens, most likely first
     * @param targets one score per requested target, in request order
     */
    public record Slot(int index, List<Candidate> top, List<TargetScore> targets) {
        public Slot {
            top = List.copyOf(top);
            targets = List.copyOf(targets);
        }

        public TargetScore target(String word) {
            return targets.stream()
                    .filter(t -> t.word().equals(word))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no target " + word));
        }
    }

    /**
     * One predicted token, with Hugging Face's fields.
     *
     * @param tokenId vocabulary id ({@code token} in HF)
     * @param token the vocabulary string ({@code token_str})
     * @param score probability ({@code score})
     * @param logProb natural log of {@code score}
     * @param sequence the text with this mask filled, decoded without special tokens ({@code sequence})
     */
    public record Candidate(int tokenId, String token, double score, double logProb, String sequence) {}

    /**
     * The exact probability of a target word in a slot.
     *
     * @param word the target as given
     * @param pieces its word pieces; more than one means it was scored by the chain rule
     * @param logProb natural log-probability of the whole word
     */
    public record TargetScore(String word, List<String> pieces, double logProb) {
        public TargetScore {
            pieces = List.copyOf(pieces);
        }

        public double probability() {
            return Math.exp(logProb);
        }
    }
}
