package org.unmask.corpus.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldOutSplitTest {
    @TempDir
    Path dir;

    private Path corpus() throws Exception {
        Path c = dir.resolve("corpus");
        Files.createDirectories(c);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("{\"id\":\"")
                    .append(i)
                    .append("\",\"text\":\"document ")
                    .append(i)
                    .append("\"}\n");
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(c.resolve("a.jsonl.gz")))) {
            o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(c.resolve("b.txt"), "a whole plain-text file is one document");
        return c;
    }

    @Test
    void everyDocumentGoesToExactlyOnePartAboutTheFractionHeldOut() throws Exception {
        Path c = corpus();
        HeldOutSplit.Result r = HeldOutSplit.split(c, 0.1, dir.resolve("train.jsonl"), dir.resolve("held.jsonl"));
        assertEquals(1001, r.trainDocuments() + r.heldoutDocuments());
        assertTrue(r.heldoutDocuments() > 60 && r.heldoutDocuments() < 140, "about 10 %: " + r);
        List<String> train = Files.readAllLines(dir.resolve("train.jsonl"));
        List<String> held = Files.readAllLines(dir.resolve("held.jsonl"));
        Set<String> both = new HashSet<>(train);
        both.retainAll(held);
        assertTrue(both.isEmpty());
        String first = "{\"id\":\"0\",\"text\":\"document 0\"}";
        assertTrue(train.contains(first) || held.contains(first), "JSON lines are kept byte for byte");
        String all = String.join("\n", train) + String.join("\n", held);
        assertTrue(all.contains("{\"text\":\"a whole plain-text file is one document\"}"), all.substring(0, 80));
    }

    @Test
    void theSplitDependsOnTheDocumentsAloneSoARerunWritesTheSameBytes() throws Exception {
        Path c = corpus();
        HeldOutSplit.Result a = HeldOutSplit.split(c, 0.1, dir.resolve("t1.jsonl"), dir.resolve("h1.jsonl"));
        HeldOutSplit.Result b = HeldOutSplit.split(c, 0.1, dir.resolve("t2.jsonl"), dir.resolve("h2.jsonl"));
        assertEquals(a, b);
        assertArrayEquals(Files.readAllBytes(dir.resolve("h1.jsonl")), Files.readAllBytes(dir.resolve("h2.jsonl")));
        Files.writeString(c.resolve("b.txt"), "another text");
        HeldOutSplit.Result changed = HeldOutSplit.split(c, 0.1, dir.resolve("t3.jsonl"), dir.resolve("h3.jsonl"));
        assertNotEquals(a.sha256(), changed.sha256(), "the corpus hash follows its bytes");
    }
}
