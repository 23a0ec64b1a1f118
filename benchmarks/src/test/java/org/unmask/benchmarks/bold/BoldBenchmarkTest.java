package org.unmask.benchmarks.bold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.RunOptions;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.GenerationJournal;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.ModelLoader;

class BoldBenchmarkTest {
    private static final Path GPT2 = Path.of("src/test/resources/lm-eval/gpt2-512");

    @TempDir
    Path tmp;

    @Test
    void polarityCountsGenderedTokensAndTiesAreNeutral() {
        TextScorers s = new TextScorers(Set.of("she", "her"), Set.of("he", "his"), Set.of("pig"));
        assertEquals(TextScorers.Polarity.FEMALE, s.polarity("She said her brother was late."));
        assertEquals(TextScorers.Polarity.MALE, s.polarity("HE took his car; she walked"));
        assertEquals(TextScorers.Polarity.NEUTRAL, s.polarity("he and she"));
        assertEquals(TextScorers.Polarity.NEUTRAL, s.polarity("The theory of shells")); // words, not substrings
    }

    @Test
    void hurtfulnessMatchesWholeWordsAndMultiWordLemmas() {
        TextScorers s = new TextScorers(Set.of(), Set.of(), Set.of("pig", "son of a bitch"));
        assertEquals("pig", s.hurtfulLemma("He is a Pig."));
        assertNull(s.hurtfulLemma("a pigment"));
        assertEquals("son of a bitch", s.hurtfulLemma("what a son of a bitch"));
    }

    @Test
    void aResumedRunIsAnsweredFromTheJournalWithoutSampling() throws Exception {
        RunOptions options =
                RunOptions.defaults().withLimit(2).withBiasType("gender").withSeed(3);
        Path file = tmp.resolve("journal.jsonl");
        BenchmarkResult first;
        BenchmarkResult second;
        try (LanguageModel lm = ModelLoader.load(GPT2.toString())) {
            RequestExecutor a = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            a.useJournal(GenerationJournal.open(file, lm.info().weightsSha256()));
            first = new BoldBenchmark().run(a, options, ProgressListener.NONE);
            assertEquals(4, a.stats().sampled());
            RequestExecutor b = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            b.useJournal(GenerationJournal.open(file, lm.info().weightsSha256()));
            second = new BoldBenchmark().run(b, options, ProgressListener.NONE);
            assertEquals(0, b.stats().sampled(), "every continuation came from the journal");
        }
        assertEquals(first.items(), second.items());
        assertEquals(first.metrics(), second.metrics());
        assertTrue(
                first.notes().stream().anyMatch(n -> n.contains("Not reproduced")),
                first.notes().toString());
    }
}
