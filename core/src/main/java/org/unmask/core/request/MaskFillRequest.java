package org.unmask.core.request;

import java.util.List;
import java.util.Objects;

/**
 * Fill-mask: for every mask token in {@code text}, the top-k tokens and the exact log-probability of
 * each target word, as Hugging Face's {@code pipeline("fill-mask")} but without its first-piece
 * truncation.
 *
 * <p>A target that splits into several word pieces is scored by the chain rule, left to right: the
 * mask is widened to one mask per piece and {@code log P(w) = Σ_j log P(piece_j | pieces_<j, rest masked)}.
 * Other masks in the text stay masked while a slot is scored.
 *
 * @param text the text with one or more mask tokens, written as {@code [MASK]} whatever the model's
 *     own spelling
 * @param topK how many of the most likely tokens to report per mask (0 for none)
 * @param targets words whose probability to report per mask (may be empty)
 */
public record MaskFillRequest(String text, int topK, List<String> targets) implements ModelRequest<MaskFillResult> {
    /** The placeholder users write for a mask, translated to the model's mask token. */
    public static final String MASK = "[MASK]";

    public MaskFillRequest {
        Objects.requireNonNull(text, "text");
        targets = List.copyOf(targets);
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, was " + topK);
        }
    }

    public static MaskFillRequest topK(String text, int k) {
        return new MaskFillRequest(text, k, List.of());
    }

    public static MaskFillRequest targets(String text, List<String> targets) {
        return new MaskFillRequest(text, 0, targets);
    }
}
