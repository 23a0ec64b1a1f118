package org.unmask.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.GenerationItem;
import org.unmask.core.result.GenerationResult;
import org.unmask.models.ModelLoader;
import org.unmask.probes.measure.OutputClassifier;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;

/**
 * The built-in generation suite end to end on a real (tiny, random) GPT-2 checkpoint written by transformers: it
 * samples, labels and reproduces bit for bit under the same seed. Samples and lengths are shrunk so the test stays
 * fast; the prompts, targets, settings and word lists are the suite's own.
 */
class TinyGpt2GenerationTest {
    private static final Path GPT2 = Path.of("../models/src/test/resources/fixtures/gpt2");
    private static Suite suite;
    private static GenerationResult first;

    static Suite shrunkBuiltin() throws IOException, UnmaskException {
        String res = "/org/unmask/probes/suites/" + SuiteLoader.GENERATION_SUITE + ".yaml";
        try (InputStream in = SuiteLoader.class.getResourceAsStream(res)) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(yaml.contains("samples: 10") && yaml.contains("max-new-tokens: 24"), "sizes to shrink");
            return SuiteLoader.parse(
                    "builtin:" + SuiteLoader.GENERATION_SUITE,
                    yaml.replace("samples: 10", "samples: 2").replace("max-new-tokens: 24", "max-new-tokens: 6"),
                    null);
        }
    }

    static GenerationResult audit(long seed) throws UnmaskException {
        try (LanguageModel lm = ModelLoader.load(GPT2.toString())) {
            AuditResult r = new AuditEngine()
                    .run(
                            new AuditSpec(suite, seed, 200, 1000, ProgressListener.NONE),
                            new RequestExecutor(lm, ExecutorOptions.DEFAULT));
            return (GenerationResult) r.measures().get(0);
        }
    }

    @BeforeAll
    static void runOnce() throws IOException, UnmaskException {
        suite = shrunkBuiltin();
        first = audit(11);
    }

    @Test
    void samplesEveryPromptUnderEverySettingAndLabelsEachContinuation() {
        int targets = suite.terms("occupations").terms().size();
        assertEquals(4, first.settings().size());
        OutputClassifier c = OutputClassifier.of(
                List.of("she", "her", "hers", "herself", "Mrs.", "Ms.", "Miss"),
                List.of("he", "him", "his", "himself", "Mr."));
        for (GenerationResult.Setting s : first.settings()) {
            assertEquals(targets * 6 * 2, s.counts().total(), s.decoding().name());
            assertEquals(
                    s.counts().femaleShare(),
                    s.aggregate("female-share").estimate().value(),
                    0);
            // " he" is one token of this byte-level vocabulary: even random weights name someone now and then
            assertTrue(s.counts().female() + s.counts().male() > 0, s.toString());
        }
        for (GenerationItem i : first.items()) {
            assertEquals(c.label(i.continuation()).id(), i.label(), i.continuation());
        }
        long distinct = first.items().stream()
                .map(GenerationItem::continuation)
                .distinct()
                .count();
        assertTrue(distinct > first.items().size() / 2, "samples differ: " + distinct);
    }

    @Test
    void theSameSeedReproducesEverySampleAndStatisticBitForBit() throws UnmaskException {
        GenerationResult again = audit(11);
        assertEquals(first.items(), again.items());
        assertEquals(first.settings(), again.settings());
        GenerationResult other = audit(12);
        assertNotEquals(
                first.items().stream().map(GenerationItem::continuation).toList(),
                other.items().stream().map(GenerationItem::continuation).toList());
    }
}
