package org.unmask.core.model;

/**
 * The answer to one {@link LogProbQuery.Read}: natural-log probabilities from a full softmax over
 * the vocabulary.
 *
 * @param topIds the most likely ids, most likely first
 * @param topLogProbs their log-probabilities
 * @param tokenLogProbs log-probabilities of the requested ids, in request order
 */
public record LogProbs(int[] topIds, float[] topLogProbs, float[] tokenLogProbs) {}
