package org.unmask.mitigation.cda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.mitigation.cda.CdaOptions.WordLists;

class CorpusAugmenterTest {
    @TempDir
    Path dir;

    @Test
    void augmentsGzipJsonlKeepingOtherFieldsAndCountingEveryLine() throws Exception {
        Path in = dir.resolve("in.jsonl.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(in))) {
            o.write(String.join(
                            "\n",
                            "{\"id\":1,\"body\":\"He is a nurse.\"}",
                            "{\"id\":2,\"body\":\"It rained.\"}",
                            "not json",
                            "",
                            "{\"id\":3,\"other\":\"x\"}",
                            "{\"id\":4,\"body\":\"her car\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Path out = dir.resolve("out.jsonl");
        AugmentStats s = new CorpusAugmenter(new CdaTransform(CdaOptions.DEFAULT), "body").run(in, out);
        assertEquals(3, s.documentsIn());
        assertEquals(5, s.documentsOut());
        assertEquals(2, s.swapped());
        assertEquals(1, s.keptUnswapped());
        assertEquals(2, s.skipped());
        assertEquals(1, s.blankLines());
        assertEquals(
                List.of("in.jsonl.gz:3: not a JSON object", "in.jsonl.gz:5: no text field \"body\""), s.skipExamples());
        List<String> lines = Files.readAllLines(out);
        ObjectMapper m = new ObjectMapper();
        JsonNode cf = m.readTree(lines.get(1));
        assertEquals(1, cf.get("id").asInt());
        assertEquals("She is a nurse.", cf.get("body").asText());
        assertEquals("counterfactual", cf.get("cda").asText());
        assertEquals("original", m.readTree(lines.get(0)).get("cda").asText());
        assertEquals("unchanged", m.readTree(lines.get(2)).get("cda").asText());
        assertEquals("his car", m.readTree(lines.get(4)).get("body").asText());
        JsonNode prov = m.readTree(dir.resolve("out.jsonl.provenance.json").toFile());
        assertEquals(Hashing.sha256(in), prov.get("inputs").get(in.toString()).asText());
        assertEquals(5, prov.get("stats").get("documentsOut").asInt());
    }

    @Test
    void plainTextFolderInGzipTextOutDroppingUnswapped() throws Exception {
        Path shards = Files.createDirectories(dir.resolve("shards"));
        Files.writeString(shards.resolve("a.txt"), "the man\nno gender here\n");
        Files.writeString(shards.resolve("b.txt"), "HIS dog\n");
        Files.writeString(shards.resolve("notes.md"), "he is ignored\n");
        Path out = dir.resolve("aug.txt.gz");
        CdaOptions opts = new CdaOptions(false, true, false, WordLists.WINOBIAS);
        AugmentStats s = new CorpusAugmenter(new CdaTransform(opts), "text").run(shards, out);
        String text;
        try (var in = new GZIPInputStream(Files.newInputStream(out))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals("the woman\nHER dog\n", text);
        assertEquals(1, s.droppedUnswapped());
        assertEquals(3, s.documentsIn());
    }

    @Test
    void leavesNoPartialOutputWhenInputIsMissing() throws IOException {
        CorpusAugmenter a = new CorpusAugmenter(new CdaTransform(CdaOptions.DEFAULT), "text");
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> a.run(dir.resolve("missing.jsonl"), dir.resolve("o.jsonl")));
        assertTrue(e.getMessage().contains("missing.jsonl"));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void refusesToOverwriteItsInput() throws IOException {
        Path in = dir.resolve("x.txt");
        Files.writeString(in, "he\n");
        CorpusAugmenter a = new CorpusAugmenter(new CdaTransform(CdaOptions.DEFAULT), "text");
        assertThrows(InvalidInputException.class, () -> a.run(in, in));
        assertEquals("he\n", Files.readString(in));
    }

    @Test
    void theAugmentedCorpusAndItsProvenanceAreReadableByOthersNotPrivateLikeTemporaryFiles() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        Path in = Files.writeString(dir.resolve("x.txt"), "he\n");
        Path out = dir.resolve("o.txt.gz");
        new CorpusAugmenter(new CdaTransform(CdaOptions.DEFAULT), "text").run(in, out);
        for (Path f : new Path[] {out, dir.resolve("o.txt.gz.provenance.json")}) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
    }
}
