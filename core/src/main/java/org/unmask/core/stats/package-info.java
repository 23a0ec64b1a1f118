/**
 * Honest statistics for bias measures, the one statistics package of every module: point
 * {@link org.unmask.core.stats.Estimate estimates} with n and a 95 % {@link org.unmask.core.stats.Interval interval}
 * that says how it was made, the seeded crossed (pigeonhole) {@link org.unmask.core.stats.CrossedBootstrap} with
 * {@link org.unmask.core.stats.Bca BCa} intervals (i.i.d. and cluster bootstraps are its one-factor cases), exact or
 * Monte Carlo {@link org.unmask.core.stats.PermutationTest
 * permutation tests}, {@link org.unmask.core.stats.Correlation correlations} and
 * {@link org.unmask.core.stats.EffectSize effect sizes}. Everything random takes a seed and uses
 * {@link java.util.SplittableRandom}, whose sequence is fixed by its specification, so numbers are reproducible
 * across JDKs.
 */
package org.unmask.core.stats;
