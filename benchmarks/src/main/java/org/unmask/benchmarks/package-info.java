/**
 * Published bias benchmarks as versioned data (benchmark.yaml + sha256-verified files under
 * {@code org/unmask/benchmarks/<id>/}) and their scorers: each {@link org.unmask.benchmarks.Benchmark} plans typed
 * model requests, runs them through one {@code RequestExecutor} call and scores the answers exactly as the
 * benchmark's paper / reference code does, returning a {@link org.unmask.benchmarks.BenchmarkResult} with n, 95 %
 * intervals, skipped items and provenance.
 */
package org.unmask.benchmarks;
