/**
 * Honest statistics for bias measures: point {@link org.unmask.core.stats.Estimate estimates} with n and a 95 %
 * {@link org.unmask.core.stats.Interval interval}, a seeded (optionally clustered, multi-way)
 * {@link org.unmask.core.stats.Bootstrap}, exact or Monte Carlo {@link org.unmask.core.stats.PermutationTest
 * permutation tests}, {@link org.unmask.core.stats.Correlation correlations} and
 * {@link org.unmask.core.stats.EffectSize effect sizes}. Everything random takes a seed and uses
 * {@link java.util.SplittableRandom}, whose sequence is fixed by its specification, so numbers are reproducible
 * across JDKs.
 */
package org.unmask.core.stats;
