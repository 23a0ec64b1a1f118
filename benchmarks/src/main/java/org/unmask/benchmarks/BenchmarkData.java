package org.unmask.benchmarks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;

/**
 * The data of one benchmark, checked against its {@code benchmark.yaml}: every file read through here has its
 * SHA-256 verified first, so a changed or corrupted file can never be scored silently.
 *
 * <p>Data comes either from the classpath (the versioned copy shipped in this module) or from a directory laid
 * out the same way (for users who keep their own verified copy).
 */
public final class BenchmarkData {
    private static final String ROOT = "org/unmask/benchmarks/";

    private final BenchmarkSpec spec;
    private final String origin;
    private final Reader reader;
    private final Map<String, String> verified = new LinkedHashMap<>();

    /** Where a benchmark gets its data from; loading verifies the YAML. */
    @FunctionalInterface
    public interface Source {
        BenchmarkData load() throws InvalidInputException;
    }

    @FunctionalInterface
    private interface Reader {
        InputStream open(String path) throws IOException;
    }

    private BenchmarkData(BenchmarkSpec spec, String origin, Reader reader) {
        this.spec = spec;
        this.origin = origin;
        this.reader = reader;
    }

    /** The benchmark shipped in this module under {@code org/unmask/benchmarks/<id>/}. */
    public static BenchmarkData bundled(String id) throws InvalidInputException {
        ClassLoader cl = BenchmarkData.class.getClassLoader();
        String base = ROOT + id + "/";
        Reader reader = p -> {
            InputStream in = cl.getResourceAsStream(base + p);
            if (in == null) {
                throw new java.io.FileNotFoundException(base + p);
            }
            return in;
        };
        return load(id, "classpath:" + base, reader);
    }

    /** A benchmark folder on disk holding {@code benchmark.yaml} and its files. */
    public static BenchmarkData directory(Path dir) throws InvalidInputException {
        String id = dir.getFileName().toString();
        return load(id, dir.toString() + "/", p -> Files.newInputStream(dir.resolve(p)));
    }

    private static BenchmarkData load(String id, String origin, Reader reader) throws InvalidInputException {
        String where = origin + "benchmark.yaml";
        BenchmarkSpec spec;
        try (InputStream in = reader.open("benchmark.yaml")) {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
            spec = yaml.readValue(in, BenchmarkSpec.class);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new InvalidInputException(
                    "no benchmark '" + id + "' (missing " + where + ")",
                    "run `unmask bench-list` to see the available benchmarks");
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read " + where + ": " + e.getMessage(),
                    "fix the YAML; fields: id, name, schema, version, modelKind, license, nonCommercial, source,"
                            + " citation, metrics, files[path, sha256, license]",
                    e);
        }
        if (!id.equals(spec.id())) {
            throw new InvalidInputException(
                    where + " declares id '" + spec.id() + "' but lives in folder '" + id + "'",
                    "make the id match the folder name");
        }
        for (BenchmarkSpec.DataFile f : spec.files()) {
            if (!f.sha256().matches("[0-9a-f]{64}")) {
                throw new InvalidInputException(
                        where + ": sha256 of " + f.path() + " is not 64 lower-case hex digits",
                        "compute it with `sha256sum " + f.path() + "`");
            }
        }
        return new BenchmarkData(spec, origin, reader);
    }

    public BenchmarkSpec spec() {
        return spec;
    }

    /** Where the data was read from (a classpath prefix or a directory). */
    public String origin() {
        return origin;
    }

    /** Path to SHA-256 of every file verified so far, for provenance. */
    public Map<String, String> verifiedFiles() {
        return Map.copyOf(verified);
    }

    /**
     * The bytes of a declared data file, after checking its SHA-256 against the YAML.
     *
     * @throws InvalidInputException naming the file and both hashes when they differ, or when the file is not
     *     declared in the YAML
     */
    public byte[] bytes(String path) throws InvalidInputException {
        BenchmarkSpec.DataFile declared = spec.file(path)
                .orElseThrow(() -> new InvalidInputException(
                        "benchmark " + spec.id() + " does not declare data file " + path,
                        "add it with its sha256 to " + origin + "benchmark.yaml"));
        byte[] data;
        try (InputStream in = reader.open(path)) {
            data = in.readAllBytes();
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read " + origin + path + ": " + e.getMessage(),
                    "restore the file from the benchmark's source (see its README)",
                    e);
        }
        String actual = sha256(data);
        if (!actual.equals(declared.sha256())) {
            throw new InvalidInputException(
                    "checksum mismatch for " + origin + path + ": benchmark.yaml expects sha256 " + declared.sha256()
                            + " but the file has " + actual,
                    "restore the original file (see " + spec.id() + "/README.md) or, if the change is intended,"
                            + " update the sha256 and the version in benchmark.yaml");
        }
        verified.put(path, actual);
        return data;
    }

    /** A verified UTF-8 text file split into lines (line terminators removed, a trailing empty line dropped). */
    public List<String> lines(String path) throws InvalidInputException {
        String text = new String(bytes(path), StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<String> out = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** Lower-case hex SHA-256 of bytes. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
