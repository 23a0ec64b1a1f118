package org.unmask.mitigation.cda;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.io.AtomicFiles;

/**
 * Streams a corpus through {@link CdaTransform}: one file or a folder of shards in, one file out, a line at a
 * time (memory does not grow with the corpus).
 *
 * <p>Formats follow the file names. {@code .jsonl}, {@code .ndjson} (optionally {@code .gz}) hold one JSON object
 * per line whose {@code field} is the text; the output keeps every other field and adds {@code "cda"}
 * ({@code original}, {@code counterfactual} or {@code unchanged}). Any other name is plain text, one document
 * per line; plain-text output writes one document per line with line breaks inside a document turned into
 * spaces. The output is written to a temporary file next to it and moved into place at the end, so a failed run
 * never leaves a partial file; a {@code .provenance.json} sidecar records inputs, their SHA-256, the options,
 * the word lists and the counts.
 */
public final class CorpusAugmenter {
    private static final int MAX_EXAMPLES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CdaTransform transform;
    private final String field;

    public CorpusAugmenter(CdaTransform transform, String field) {
        this.transform = transform;
        this.field = field;
    }

    /** Augments {@code in} (file or folder of shards) into {@code out}. */
    public AugmentStats run(Path in, Path out) throws InvalidInputException, IOException {
        List<Path> inputs = inputs(in);
        Path absOut = out.toAbsolutePath();
        for (Path p : inputs) {
            if (p.toAbsolutePath().normalize().equals(absOut.normalize())) {
                throw new InvalidInputException(
                        "output " + out + " is also an input", "write the augmented corpus to a new file");
            }
        }
        Counter c = new Counter();
        Map<String, String> inputHashes = new LinkedHashMap<>();
        AtomicFiles.write(absOut, os -> {
            try (Writer w = writer(os, isGzip(out))) {
                for (Path p : inputs) {
                    inputHashes.put(p.toString(), Hashing.sha256(p));
                    process(p, w, isJsonl(out), c);
                }
            }
        });
        AugmentStats stats = c.stats();
        writeProvenance(absOut, inputHashes, stats);
        return stats;
    }

    private void process(Path file, Writer w, boolean jsonOut, Counter c) throws IOException {
        LineAugmenter lines = new LineAugmenter(transform, field, isJsonl(file), jsonOut);
        try (BufferedReader r = reader(file)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                LineAugmenter.Result res = lines.apply(line);
                if (res.blank()) {
                    c.blank++;
                } else if (res.skipReason() != null) {
                    c.skip(file, lineNo, res.skipReason());
                } else {
                    c.count(res.outcome());
                    for (String l : res.lines()) {
                        w.write(l);
                        w.write('\n');
                    }
                }
            }
        }
    }

    private void writeProvenance(Path out, Map<String, String> inputs, AugmentStats stats) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("tool", "unmask augment (counterfactual data augmentation)");
        p.put("inputs", inputs);
        p.put("output", out.getFileName().toString());
        p.put("outputSha256", Hashing.sha256(out));
        p.put("field", field);
        p.put("options", transform.options());
        p.put(
                "wordLists",
                Map.of(
                        "name",
                        transform.lexicon().name(),
                        "sha256",
                        transform.lexicon().sha256(),
                        "pairs",
                        transform.lexicon().pairCount()));
        p.put("stats", stats);
        Path side = out.resolveSibling(out.getFileName() + ".provenance.json");
        AtomicFiles.write(side, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(p));
    }

    static List<Path> inputs(Path in) throws InvalidInputException, IOException {
        if (Files.isRegularFile(in)) {
            return List.of(in);
        }
        if (!Files.isDirectory(in)) {
            throw new InvalidInputException("input " + in + " does not exist", "give a text/JSONL file or a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(in)) {
            files = s.filter(Files::isRegularFile)
                    .filter(CorpusAugmenter::isCorpusFile)
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(
                    "folder " + in + " holds no .jsonl, .jsonl.gz, .txt or .txt.gz files",
                    "point at the corpus shards");
        }
        return files;
    }

    private static boolean isCorpusFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        return n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".txt");
    }

    static boolean isJsonl(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        return n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json");
    }

    private static boolean isGzip(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    private static BufferedReader reader(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        if (isGzip(p)) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static Writer writer(OutputStream out, boolean gzip) throws IOException {
        OutputStream o = out;
        if (gzip) {
            o = new GZIPOutputStream(o, 1 << 16);
        }
        return new BufferedWriter(new OutputStreamWriter(o, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Mutable tallies of one run. */
    private static final class Counter {
        long in;
        long out;
        long swapped;
        long kept;
        long dropped;
        long skipped;
        long blank;
        long swaps;
        long anonymized;
        final List<String> examples = new ArrayList<>();

        void count(CdaTransform.Outcome o) {
            in++;
            out += o.outputs().size();
            swaps += o.swaps();
            anonymized += o.anonymized();
            switch (o.kind()) {
                case SWAPPED -> swapped++;
                case KEPT_UNSWAPPED -> kept++;
                case DROPPED_UNSWAPPED -> dropped++;
            }
        }

        void skip(Path file, long line, String reason) {
            skipped++;
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(file.getFileName() + ":" + line + ": " + reason);
            }
        }

        AugmentStats stats() {
            return new AugmentStats(in, out, swapped, kept, dropped, skipped, blank, swaps, anonymized, examples);
        }
    }
}
