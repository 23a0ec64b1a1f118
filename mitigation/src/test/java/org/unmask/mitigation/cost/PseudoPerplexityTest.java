package org.unmask.mitigation.cost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.core.testing.WordPieceTokenizer;

class PseudoPerplexityTest {
    @Test
    void uniformModelHasPseudoPerplexityEqualToItsVocabularySize() throws Exception {
        WordPieceTokenizer tok = new WordPieceTokenizer(List.of("a", "b", "c", "d"));
        // every word has probability 1 / |V|
        ScriptedMaskedLm uniform = ScriptedMaskedLm.logProbs(tok, (tokens, pos, w) -> -Math.log(tok.vocabularySize()));
        HeldOutText text = new HeldOutText("t", List.of("a b c", "d a"));
        PseudoPerplexity.Result r = PseudoPerplexity.measure(
                new RequestExecutor(uniform, new ExecutorOptions(4, 0)), text, 1, ProgressListener.NONE);
        assertEquals(tok.vocabularySize(), r.pppl(), 1e-4);
        assertEquals(5, r.tokens());
        assertEquals(2, r.sentences());
        assertEquals(5, uniform.forwardPasses(), "one masked copy per token");
    }

    @Test
    void isExpOfMinusTotalPllOverTokensWithASeededCi() {
        double[] pll = {-10, -4, -7};
        int[] n = {5, 2, 3};
        PseudoPerplexity.Result r = PseudoPerplexity.of("t", pll, n, 42);
        assertEquals(Math.exp(21.0 / 10), r.pppl(), 1e-12);
        assertTrue(r.ciLow() <= r.pppl() && r.pppl() <= r.ciHigh());
        assertEquals(r.ciLow(), PseudoPerplexity.of("t", pll, n, 42).ciLow(), 0.0);
    }

    /** One statistics package: the interval is the crossed bootstrap's BCa interval over sentences, type-7 ends. */
    @Test
    void theIntervalIsTheSharedBcaIntervalOverSentences() {
        double[] pll = {-10, -4, -7, -30, -2, -9};
        int[] n = {5, 2, 3, 6, 2, 4};
        PseudoPerplexity.Result r = PseudoPerplexity.of("t", pll, n, 42);
        org.unmask.core.stats.Interval expected = new org.unmask.core.stats.CrossedBootstrap(42, 1000)
                .iid("sentences", pll.length, w -> {
                    double s = 0;
                    double tokens = 0;
                    for (int i = 0; i < w.length; i++) {
                        s += w[i] * pll[i];
                        tokens += w[i] * n[i];
                    }
                    return Math.exp(-s / tokens);
                })
                .ci95();
        assertEquals(expected.lower(), r.ciLow(), 0.0);
        assertEquals(expected.upper(), r.ciHigh(), 0.0);
        assertTrue(r.ciLow() <= r.pppl() && r.pppl() <= r.ciHigh());
    }

    @Test
    void shippedSliceHas200SentencesAndWikitextRulesSelectTheSame() {
        HeldOutText t = HeldOutText.shipped();
        assertEquals(200, t.sentences().size());
        List<String> s = HeldOutText.sentencesOf("= Title =\n A man of 5 @-@ 6 feet , he worked as a baker . Short one"
                + " . He had <unk> in a row of ten words here .\n = = Career = = \n");
        assertEquals(List.of("A man of 5-6 feet , he worked as a baker ."), s);
    }

    @Test
    void theFileIsWrittenThroughTheCodecAndReadsBack(@TempDir Path dir) throws Exception {
        PseudoPerplexity.Result r = PseudoPerplexity.of("t", new double[] {-10, -4, -7}, new int[] {5, 2, 3}, 42);
        Path f = dir.resolve("run").resolve(PseudoPerplexity.FILE);
        PseudoPerplexity.write(f, r);
        // the writer before the codec (a plain pretty-printing mapper) wrote the same text, less the final newline
        assertEquals(
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n", Files.readString(f));
        PseudoPerplexity.Result back = PseudoPerplexity.read(f, "hint");
        assertEquals(r.pppl(), back.pppl(), 0.0);
        assertArrayEquals(r.perSentencePll(), back.perSentencePll(), 0.0);
        assertArrayEquals(r.perSentenceTokens(), back.perSentenceTokens());
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
    }
}
