package org.unmask.mitigation.cda;

/**
 * A text after gender swapping.
 *
 * @param text the counterfactual text (equal to the input when {@code swaps == 0})
 * @param swaps how many words were replaced
 */
public record SwapResult(String text, int swaps) {}
