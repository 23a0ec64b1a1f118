package org.unmask.corpus.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.corpus.TestCorpora;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.ShardProcessor;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.count.Skip;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.input.ParquetCodecs;
import org.unmask.corpus.input.ShardFormat;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;

/** Parquet shards count exactly like the same documents as JSONL, and bad rows are reported like bad lines. */
class ParquetInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CountingSpec SPEC = CountingSpec.defaults(WordListLoader.builtIn());
    private static List<String> texts;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void loadMini() throws IOException {
        byte[] gz = Files.readAllBytes(TestCorpora.dir("gutenberg-mini").resolve("gutenberg-mini-0000.jsonl.gz"));
        String all =
                new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
        texts = new ArrayList<>();
        for (String line : all.split("\n")) {
            JsonNode n = JSON.readTree(line);
            texts.add(n.get("text").asText());
        }
    }

    static List<String> textsForTests() {
        return texts;
    }

    static ShardResult count(Path file) throws IOException {
        ShardProcessor p = new ShardProcessor(SPEC);
        String name = file.getFileName().toString();
        if (name.endsWith(".parquet")) {
            return p.processParquet(name, new LocalInputFile(file), ShardProcessor.Progress.NONE);
        }
        return p.process(name, ShardFormat.JSONL, Files.newInputStream(file), ShardProcessor.Progress.NONE);
    }

    static Path jsonl(Path file, List<String> docs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String t : docs) {
            sb.append(JSON.writeValueAsString(JSON.createObjectNode().put("text", t)))
                    .append('\n');
        }
        return Files.writeString(file, sb.toString());
    }

    /** Everything but the uncompressed input size, which is the JSONL lines' size for JSONL. */
    static Counts withoutInputBytes(Counts c, long inputBytes) {
        Counts copy = new Counts(c.occupations());
        copy.add(c);
        copy.addTotal(Total.INPUT_BYTES, inputBytes - c.total(Total.INPUT_BYTES));
        return copy;
    }

    static int rowGroups(Path f) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(
                new LocalInputFile(f),
                org.apache.parquet.ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(ParquetCodecs.INSTANCE)
                        .build())) {
            return r.getRowGroups().size();
        }
    }

    @Test
    void snappyAndZstdFilesWithSeveralRowGroupsCountExactlyLikeTheSameTextAsJsonl() throws IOException {
        ShardResult asJsonl = count(jsonl(tmp.resolve("mini.jsonl"), texts));
        assertEquals(texts.size(), asJsonl.counts().total(Total.DOCUMENTS));
        assertEquals(0, asJsonl.skipped());
        for (CompressionCodecName codec : List.of(CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD)) {
            Path f = ParquetFixtures.write(tmp.resolve("mini-" + codec + ".parquet"), texts, codec, 128 << 10);
            assertTrue(rowGroups(f) >= 5, codec + ": several row groups, got " + rowGroups(f));
            ShardResult asParquet = count(f);
            assertTrue(asParquet.complete(), asParquet.skips().toString());
            assertEquals(0, asParquet.skipped(), asParquet.skips().toString());
            assertEquals(
                    asJsonl.counts(),
                    withoutInputBytes(asParquet.counts(), asJsonl.counts().total(Total.INPUT_BYTES)),
                    codec.toString());
            assertEquals(
                    asJsonl.counts().total(Total.TEXT_BYTES), asParquet.counts().total(Total.INPUT_BYTES));
        }
    }

    @Test
    void nullTextsAreSkippedAndReportedWithTheirRowLikeBadJsonlLines() throws IOException {
        List<String> docs = new ArrayList<>(Arrays.asList("She is a nurse.", null, "He is a doctor.", null, ""));
        ShardResult r =
                count(ParquetFixtures.write(tmp.resolve("nulls.parquet"), docs, CompressionCodecName.ZSTD, 1 << 20));
        assertEquals(5, r.counts().total(Total.LINES));
        assertEquals(3, r.counts().total(Total.DOCUMENTS)); // the empty text is a document, as in JSONL
        assertEquals(2, r.counts().total(Total.SKIPPED_LINES));
        assertEquals(List.of(2L, 4L), r.skips().stream().map(Skip::line).toList());
        assertEquals(Skip.Reason.TEXT_NOT_STRING, r.skips().get(0).reason());
        assertTrue(
                r.skips().get(0).describe().contains("nulls.parquet:2"),
                r.skips().get(0).describe());
        assertTrue(r.complete());
    }

    @Test
    void aFileWithoutTheTextColumnSkipsEveryRowAndNamesTheColumnsItHas() throws IOException {
        var schema = MessageTypeParser.parseMessageType(
                "message document { optional binary content (STRING); required binary id (STRING); }");
        Path f = ParquetFixtures.write(
                tmp.resolve("content.parquet"),
                schema,
                "content",
                List.of("She is a nurse.", "He is a doctor.", "x"),
                CompressionCodecName.SNAPPY,
                1 << 20);
        ShardResult r = count(f);
        assertEquals(3, r.counts().total(Total.SKIPPED_LINES));
        assertEquals(3L, r.skipCounts().get(Skip.Reason.NO_TEXT_FIELD));
        assertEquals(0, r.counts().total(Total.DOCUMENTS));
        assertTrue(
                r.skips().get(0).detail().contains("columns: content, id"),
                r.skips().get(0).detail());

        ShardResult withField = new ShardProcessor(new CountingSpec(SPEC.words(), 10, "content", 1 << 20))
                .processParquet("content.parquet", new LocalInputFile(f), ShardProcessor.Progress.NONE);
        assertEquals(3, withField.counts().total(Total.DOCUMENTS), "--text-field content reads it");
        ShardResult numeric = new ShardProcessor(new CountingSpec(SPEC.words(), 10, "id", 1 << 20))
                .processParquet("content.parquet", new LocalInputFile(f), ShardProcessor.Progress.NONE);
        assertEquals(0, numeric.counts().total(Total.SKIPPED_LINES), "id is a string column too");
    }

    @Test
    void aTruncatedParquetFileIsReportedAsCorruptNotThrown() throws IOException {
        Path f = ParquetFixtures.write(tmp.resolve("whole.parquet"), texts, CompressionCodecName.SNAPPY, 128 << 10);
        byte[] b = Files.readAllBytes(f);
        Path cut = Files.write(tmp.resolve("cut.parquet"), Arrays.copyOf(b, b.length / 2));
        ShardResult r = count(cut);
        assertFalse(r.complete());
        assertEquals(
                Skip.Reason.CORRUPT_STREAM, r.skips().get(r.skips().size() - 1).reason());
    }

    @Test
    void theLocalEngineReadsParquetBesideJsonlInOneTree() throws Exception {
        Path root = tmp.resolve("tree");
        int half = texts.size() / 2;
        jsonl(Files.createDirectories(root.resolve("a")).resolve("x.jsonl"), texts.subList(0, half));
        ParquetFixtures.write(
                root.resolve("b/y.parquet"), texts.subList(half, texts.size()), CompressionCodecName.ZSTD, 256 << 10);
        CorpusRun run = new LocalEngine(SPEC, new LocalOptions(2, null, 0))
                .run(CorpusFiles.list(root), tmp.resolve("tree-out"));
        ShardResult whole = count(jsonl(tmp.resolve("all.jsonl"), texts));
        assertEquals(CorpusRun.Status.COMPLETE, run.status());
        assertEquals(whole.counts().total(Total.DOCUMENTS), run.totals().total(Total.DOCUMENTS));
        assertEquals(
                whole.counts().total(Total.SENTENCES_FEMALE_ONLY), run.totals().total(Total.SENTENCES_FEMALE_ONLY));
        assertEquals(ShardFormat.PARQUET, CorpusFiles.list(root).shards().get(1).format());
    }
}
