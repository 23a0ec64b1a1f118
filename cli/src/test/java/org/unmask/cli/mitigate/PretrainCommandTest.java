package org.unmask.cli.mitigate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.ExitCode;
import org.unmask.core.testing.RealModel;

/** {@code unmask pretrain} at the front door: the toy configuration end to end, and one-line errors. */
class PretrainCommandTest {
    @TempDir
    Path dir;

    private static Path gutenbergMini() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/corpora/gutenberg-mini");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("shared/corpora/gutenberg-mini not found beside the repository");
    }

    private static MitigateCommandsTest.Run run(String... args) {
        return MitigateCommandsTest.run(args);
    }

    @Test
    void aMissingCorpusFolderIsOneLineAndExitThree() {
        var r = run(
                "pretrain",
                "--corpus",
                dir.resolve("nope").toString(),
                "--out",
                dir.resolve("m").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code(), r.err());
        assertTrue(r.err().contains("corpus path") && r.err().contains("does not exist"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(dir.resolve("m")), "nothing written");
    }

    @Test
    void aFolderWithoutCorpusFilesIsExitThree() throws Exception {
        Path c = Files.createDirectories(dir.resolve("c"));
        Files.writeString(c.resolve("notes.md"), "not a shard");
        var r = run(
                "pretrain", "--corpus", c.toString(), "--out", dir.resolve("m").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code(), r.err());
        assertTrue(r.err().contains("no corpus files"), r.err());
    }

    @Test
    void unknownArchitecturesAndPresetsAreExitThreeNamingTheChoices() {
        String corpus = gutenbergMini().toString();
        var u = run(
                "pretrain",
                "--corpus",
                corpus,
                "--arch",
                "bert-huge",
                "--out",
                dir.resolve("h").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), u.code(), u.err());
        assertTrue(u.err().contains("bert-mini") && u.err().contains("gpt2-small-lab"), u.err());
        var p = run(
                "pretrain",
                "--corpus",
                corpus,
                "--preset",
                "huge",
                "--out",
                dir.resolve("p").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), p.code(), p.err());
        assertTrue(p.err().contains("toy or lab"), p.err());
    }

    @RealModel
    @Test
    void theToyConfigurationPretrainsAFolderThatFillsMasksAndRerunsBitIdentically() throws Exception {
        String corpus = gutenbergMini().toString();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        String[] common = {"pretrain", "--corpus", corpus, "--preset", "toy", "--steps", "40", "--seed", "3"};
        var r = run(concat(common, "--out", a.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trained 40 steps"), r.out());
        var r2 = run(concat(common, "--out", b.toString()));
        assertEquals(0, r2.code(), r2.err());
        assertArrayEquals(
                Files.readAllBytes(a.resolve("model.safetensors")),
                Files.readAllBytes(b.resolve("model.safetensors")),
                "same corpus, options and seed: the same weights bit for bit");
        JsonNode prov =
                new ObjectMapper().readTree(a.resolve("unmask-provenance.json").toFile());
        assertEquals("scratch", prov.path("parent").path("id").asText());
        assertEquals(64, prov.path("corpus").path("contentSha256").asText().length());
        assertEquals(40L * 8 * 64, prov.path("settings").path("tokens").asLong());
        var again = run(concat(common, "--out", a.toString()));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("already holds this finished run"), again.out());
        var fill = run("fill", "--model", a.toString(), "The woman works as a [MASK].", "--top-k", "3", "--json");
        assertEquals(0, fill.code(), fill.err());
        assertTrue(fill.out().contains("\"token_str\""), fill.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
