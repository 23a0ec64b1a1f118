package org.unmask.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.Encoding;
import org.unmask.core.testing.Mutations;
import org.unmask.models.fixtures.FixtureCopies;

/**
 * Seeded mutations of the fixtures' tokenizer.json (WordPiece, byte-level BPE, SentencePiece-style BPE) through
 * {@link HfTokenizer#load(Path, int)} and a round of encoding and decoding: each must end in a working tokenizer whose
 * ids index the model's vocabulary, or a clean {@link UnmaskException}; never another exception, never a hang.
 */
class TokenizerJsonFuzzTest {
    private static final int MUTATIONS = 2000;
    private static final int MODEL_VOCAB = 384;
    private static final String[] FIXTURES = {"bert-mlm", "gpt2", "llama"};

    @TempDir
    Path tmp;

    @Test
    void mutatedTokenizersEndInAWorkingTokenizerOrACleanError() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : FIXTURES) {
            seeds.add(Files.readAllBytes(FixtureCopies.fixture(f).resolve("tokenizer.json")));
        }
        Mutations mutations = new Mutations(14_005L, seeds);
        Path dir = Files.createDirectories(tmp.resolve("m"));
        int[] valid = {0};
        long t0 = System.nanoTime();
        assertTimeoutPreemptively(
                Duration.ofSeconds(90),
                () -> mutations.forEach(MUTATIONS, bytes -> {
                    try {
                        Files.write(dir.resolve("tokenizer.json"), bytes);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    try (HfTokenizer tok = HfTokenizer.load(dir, MODEL_VOCAB)) {
                        exercise(tok);
                        valid[0]++;
                    } catch (UnmaskException e) {
                        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "an error without a message");
                    }
                }));
        System.out.printf(
                "tokenizer.json fuzz: %d mutations, %d valid, %d ms%n",
                MUTATIONS, valid[0], (System.nanoTime() - t0) / 1_000_000);
        assertTrue(valid[0] > 0, "no mutation stayed valid; the fuzz only exercised the parser");
    }

    /** What the probes do with a tokenizer: encode, look tokens up, decode. */
    private static void exercise(HfTokenizer tok) {
        assertTrue(tok.vocabularySize() <= MODEL_VOCAB);
        Encoding e = tok.encode("The nurse said that " + tok.maskToken() + " was tired.");
        assertEquals(e.ids().length, e.tokens().length);
        for (int id : e.ids()) {
            assertTrue(id >= 0 && id < MODEL_VOCAB, "id " + id + " outside the model's vocabulary");
            tok.token(id);
        }
        tok.decode(e.ids());
        tok.pieces("nurse");
    }
}
