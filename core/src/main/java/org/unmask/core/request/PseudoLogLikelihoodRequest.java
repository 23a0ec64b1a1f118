package org.unmask.core.request;

import java.util.List;
import java.util.Objects;

/**
 * Pseudo-log-likelihood (Salazar et al. 2020) of chosen tokens: each listed token is masked on its own,
 * everything else visible, and the log-probability of the original token is read. One masked copy per
 * token, all in one batch.
 *
 * @param text the sentence
 * @param positions indices into {@code tokenizer.encode(text).ids()} to score; empty means every
 *     non-special token
 */
public record PseudoLogLikelihoodRequest(String text, List<Integer> positions) implements ModelRequest<TokenLogProbs> {
    public PseudoLogLikelihoodRequest {
        Objects.requireNonNull(text, "text");
        positions = List.copyOf(positions);
    }

    public static PseudoLogLikelihoodRequest allTokens(String text) {
        return new PseudoLogLikelihoodRequest(text, List.of());
    }
}
