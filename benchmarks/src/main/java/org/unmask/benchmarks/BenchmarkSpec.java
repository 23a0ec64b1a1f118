package org.unmask.benchmarks;

import java.util.List;
import java.util.Objects;

/**
 * A benchmark as versioned data: what it is, under which license it ships, which metrics it produces and the
 * SHA-256 of every data file, read from {@code <id>/benchmark.yaml}.
 *
 * @param id stable identifier, also the resource folder name (e.g. {@code crows-pairs})
 * @param name human-readable name
 * @param schema version of this YAML layout
 * @param version the data version (upstream repository and commit)
 * @param modelKind what the benchmark needs: {@code masked-lm} or {@code encoder}
 * @param license the data license, as upstream states it
 * @param nonCommercial true when the data may only be redistributed non-commercially (CC BY-NC*)
 * @param source where the data was copied from
 * @param citation the paper(s) to cite
 * @param metrics metric ids this benchmark reports
 * @param files the data files with their checksums
 */
public record BenchmarkSpec(
        String id,
        String name,
        int schema,
        String version,
        String modelKind,
        String license,
        boolean nonCommercial,
        String source,
        String citation,
        List<String> metrics,
        List<DataFile> files) {
    public BenchmarkSpec {
        Objects.requireNonNull(id, "id");
        metrics = List.copyOf(metrics);
        files = List.copyOf(files);
    }

    /** One data file of a benchmark and its expected SHA-256 (lower-case hex). */
    public record DataFile(String path, String sha256, String license) {
        public DataFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /** The declared file at {@code path}, if any. */
    public java.util.Optional<DataFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }
}
