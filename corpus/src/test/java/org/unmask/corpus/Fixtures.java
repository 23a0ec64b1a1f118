package org.unmask.corpus;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Builds test corpora on disk. */
public final class Fixtures {
    private Fixtures() {}

    /** The JSONL lines of shared/corpora/gutenberg-mini. */
    public static List<String> miniLines() {
        try {
            Path f = TestCorpora.dir("gutenberg-mini").resolve("gutenberg-mini-0000.jsonl.gz");
            String all =
                    new String(new GZIPInputStream(Files.newInputStream(f)).readAllBytes(), StandardCharsets.UTF_8);
            return List.of(all.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files of {@link #mixedTree}, relative, with mixed formats and nesting. */
    public static final List<String> MIXED = List.of(
            "a/x0.jsonl.gz", "a/b/x1.jsonl.zst", "x2.jsonl", "c/x3.jsonl.gz", "c/d/e/x4.jsonl.zst", "x5.json.gz");

    /** gutenberg-mini's documents dealt round-robin into {@link #MIXED} under {@code root}; plus a README. */
    public static void mixedTree(Path root) throws IOException {
        List<String> lines = miniLines();
        List<StringBuilder> parts = new ArrayList<>();
        MIXED.forEach(x -> parts.add(new StringBuilder()));
        for (int i = 0; i < lines.size(); i++) {
            parts.get(i % MIXED.size()).append(lines.get(i)).append('\n');
        }
        for (int i = 0; i < MIXED.size(); i++) {
            write(root.resolve(MIXED.get(i)), parts.get(i).toString().getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(root.resolve("README.md"), "not corpus input\n");
    }

    /** Writes {@code content}, compressed according to the file name's suffix. */
    public static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        String n = file.getFileName().toString();
        try (OutputStream out = Files.newOutputStream(file)) {
            if (n.endsWith(".gz")) {
                try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                    gz.write(content);
                }
            } else if (n.endsWith(".zst")) {
                try (ZstdOutputStream z = new ZstdOutputStream(out)) {
                    z.write(content);
                }
            } else {
                out.write(content);
            }
        }
    }

    public static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(content);
        }
        return b.toByteArray();
    }
}
