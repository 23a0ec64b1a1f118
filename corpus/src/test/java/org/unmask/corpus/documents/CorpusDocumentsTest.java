package org.unmask.corpus.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Skip;

class CorpusDocumentsTest {
    @TempDir
    Path dir;

    private List<String> docs = new ArrayList<>();

    private CorpusDocuments.Summary read(Path corpus) throws InvalidInputException {
        docs = new ArrayList<>();
        return CorpusDocuments.read(
                corpus, "text", CountingSpec.DEFAULT_MAX_LINE_BYTES, (shard, line, text) -> docs.add(text));
    }

    private static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    @Test
    void readsShardsInPathOrderAndCountsBadLinesByReasonAsTheCorpusEngine() throws Exception {
        Path c = Files.createDirectories(dir.resolve("c"));
        Files.write(
                c.resolve("a.jsonl.gz"),
                gzip("{\"text\":\"The nurse said she was tired.\"}\n"
                        + "not json\n"
                        + "\n"
                        + "{\"id\":1}\n"
                        + "{\"text\":3}\n"
                        + "{\"text\":\"He is a doctor.\\nHis sister too.\"}\n"));
        Files.writeString(c.resolve("b.txt"), "A whole plain-text file is one document.\n");
        Files.writeString(c.resolve("README.md"), "not corpus input");
        CorpusDocuments.Summary s = read(c);
        assertEquals(
                List.of(
                        "The nurse said she was tired.",
                        "He is a doctor.\nHis sister too.",
                        "A whole plain-text file is one document.\n"),
                docs);
        assertEquals(List.of("a.jsonl.gz", "b.txt"), s.shards());
        assertEquals(3, s.documents());
        assertEquals(3, s.skippedLines());
        assertEquals(1L, s.skipCounts().get(Skip.Reason.NOT_JSON));
        assertEquals(1L, s.skipCounts().get(Skip.Reason.NO_TEXT_FIELD));
        assertEquals(1L, s.skipCounts().get(Skip.Reason.TEXT_NOT_STRING));
        assertEquals(2, s.skips().get(0).line(), "the skip names its line");
    }

    @Test
    void theContentHashNamesTheBytesReadAndTheirPaths() throws Exception {
        Path c = Files.createDirectories(dir.resolve("c"));
        Files.writeString(c.resolve("a.jsonl"), "{\"text\":\"one\"}\n");
        String h1 = read(c).contentSha256();
        assertEquals(h1, read(c).contentSha256(), "stable");
        Files.writeString(c.resolve("a.jsonl"), "{\"text\":\"onE\"}\n");
        String h2 = read(c).contentSha256();
        assertNotEquals(h1, h2, "one changed byte changes it");
        Files.move(c.resolve("a.jsonl"), c.resolve("b.jsonl"));
        assertNotEquals(h2, read(c).contentSha256(), "a renamed shard changes it");
    }

    @Test
    void aTruncatedGzipKeepsWhatWasReadAndReportsTheDamage() throws Exception {
        Path c = Files.createDirectories(dir.resolve("c"));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append("{\"text\":\"document number ").append(i).append(" with some words\"}\n");
        }
        byte[] gz = gzip(sb.toString());
        Files.write(c.resolve("a.jsonl.gz"), Arrays.copyOf(gz, gz.length / 2));
        CorpusDocuments.Summary s = read(c);
        assertTrue(s.documents() > 0 && s.documents() < 2000, "kept the lines before the damage: " + s.documents());
        assertEquals(1L, s.skipCounts().get(Skip.Reason.CORRUPT_STREAM));
    }

    @Test
    void aMissingOrEmptyFolderIsInvalidInput() throws Exception {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(InvalidInputException.class, () -> read(empty));
        assertTrue(e.getMessage().contains("no corpus files"), e.getMessage());
    }
}
