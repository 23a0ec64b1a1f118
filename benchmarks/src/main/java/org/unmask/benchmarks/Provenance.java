package org.unmask.benchmarks;

import java.util.Map;

/**
 * What a benchmark result was computed from, so anyone can recompute it.
 *
 * @param modelId the model reference, resolved
 * @param modelArchitecture HF architecture name
 * @param weightsSha256 SHA-256 of the weights
 * @param tokenizerSha256 SHA-256 of tokenizer.json
 * @param backend engine and version
 * @param benchmarkVersion data version from benchmark.yaml
 * @param dataOrigin where the data was read from
 * @param dataSha256 path to SHA-256 of every data file read (all verified against benchmark.yaml)
 * @param dataLicense license of the data
 * @param nonCommercial true when the data license forbids commercial redistribution
 * @param seed seed of every random step (bootstrap, permutation tests)
 * @param unmaskVersion toolkit version
 * @param javaVersion JVM version
 */
public record Provenance(
        String modelId,
        String modelArchitecture,
        String weightsSha256,
        String tokenizerSha256,
        String backend,
        String benchmarkVersion,
        String dataOrigin,
        Map<String, String> dataSha256,
        String dataLicense,
        boolean nonCommercial,
        long seed,
        String unmaskVersion,
        String javaVersion) {
    public Provenance {
        // sorted by file: Map.copyOf would iterate (and so write) in an order that changes from run to run
        dataSha256 = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(dataSha256));
    }
}
