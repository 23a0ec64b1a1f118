package org.unmask.benchmarks.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.unmask.benchmarks.BenchmarkData;

/** Writes a small benchmark folder (benchmark.yaml with correct checksums + files) for tests. */
public final class TempBenchmark {
    private TempBenchmark() {}

    public static Path write(Path parent, String id, Map<String, String> files) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(id));
        StringBuilder yaml = new StringBuilder();
        yaml.append("id: ")
                .append(id)
                .append("\nname: test\nschema: 1\nversion: test\nmodelKind: masked-lm\n")
                .append("license: MIT\nnonCommercial: false\nsource: test\ncitation: test\nmetrics: []\nfiles:\n");
        for (Map.Entry<String, String> f : files.entrySet()) {
            byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
            yaml.append("  - path: ")
                    .append(f.getKey())
                    .append("\n    sha256: ")
                    .append(BenchmarkData.sha256(bytes))
                    .append("\n    license: MIT\n");
        }
        Files.writeString(dir.resolve("benchmark.yaml"), yaml.toString());
        return dir;
    }
}
