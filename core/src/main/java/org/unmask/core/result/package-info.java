/**
 * The result contract: versioned records of what Unmask writes ({@link org.unmask.core.result.AuditResult} and its
 * measure results, {@link org.unmask.core.result.TraceResult}, {@link org.unmask.core.result.CorpusStats}) and
 * {@link org.unmask.core.result.ResultCodec}, the one codec that writes and reads them. Records owned by the module
 * that computes them go through the same codec: {@code benchmarks}' {@code BenchmarkResult} (versioned, read with
 * {@link org.unmask.core.result.ResultCodec#readVersioned}) and {@code mitigation}'s pseudo-perplexity; the
 * {@code corpus-stats.json} writer renders its tree through the codec, and {@code CorpusStats} is the part readers
 * bind. Producers ({@code probes} builds an {@code AuditResult}, {@code report}
 * writes it) and consumers ({@code compare} in {@code mitigation}, {@code trace} in {@code corpus}, the server) share
 * these types instead of each re-parsing JSON, so a change of shape is a compile error or a schema bump, not a
 * silently empty report.
 *
 * <p>Why in {@code core}: dependencies point inward, and {@code corpus} (which reads audit results in
 * {@code trace}) depends only on {@code core}; putting the records in {@code probes} would pull the probes and
 * their suite parser into the corpus engine and the Spark job. The records are plain values (strings, numbers,
 * {@link org.unmask.core.stats.Estimate}), so core gains no new dependency; the measures that compute them stay in
 * {@code probes}.
 *
 * <p>Compatibility: {@link org.unmask.core.result.AuditResult#SCHEMA_VERSION} names the shape; bump it when the
 * shape changes and teach {@code ResultCodec} to read the old one. Schema-1 files stay readable (a committed
 * fixture written by the pre-contract code is read and written back byte for byte in the tests).
 */
package org.unmask.core.result;
