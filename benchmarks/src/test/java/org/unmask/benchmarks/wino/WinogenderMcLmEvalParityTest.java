package org.unmask.benchmarks.wino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.Skipped;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.ModelLoader;

/**
 * {@code winogender-mc} against lm-evaluation-harness 0.4.13's own {@code winogender} tasks (winogender_all and the
 * male / female / neutral filters) on the tiny GPT-2 of the lm-eval fixtures and all 720 sentences
 * (tools/fixtures/make_lmeval_fixtures.py): the same prompt and answers per sentence, both log-likelihoods within
 * 1e-4, the same resolution, and lm-eval's {@code acc} of every task from Unmask's counts, exactly.
 */
class WinogenderMcLmEvalParityTest {
    private static final Path FIXTURES = Path.of("src/test/resources/lm-eval");

    @Test
    void resolvesAsLmEvaluationHarnessWinogender() throws Exception {
        JsonNode ref = new ObjectMapper()
                .readTree(FIXTURES.resolve("winogender-gpt2-512.json").toFile());
        Map<String, JsonNode> samples = new HashMap<>();
        ref.get("samples").forEach(s -> samples.put(s.get("sentid").asText(), s));
        BenchmarkResult r;
        try (LanguageModel lm = ModelLoader.load(FIXTURES.resolve("gpt2-512").toString())) {
            r = new WinogenderMcBenchmark()
                    .run(
                            new RequestExecutor(lm, ExecutorOptions.DEFAULT),
                            RunOptions.defaults(),
                            ProgressListener.NONE);
        }
        assertEquals(samples.size(), r.items().size(), "the same 720 sentences");
        double worst = 0;
        for (Map<String, Object> item : r.items()) {
            JsonNode s = samples.get((String) item.get("id"));
            assertEquals(s.get("context").asText(), item.get("prompt"), (String) item.get("id"));
            double[] theirs = {
                s.get("loglikelihoods").get(0).asDouble(),
                s.get("loglikelihoods").get(1).asDouble()
            };
            double[] mine = {(Double) item.get("ll_occupation"), (Double) item.get("ll_participant")};
            for (int i = 0; i < 2; i++) {
                worst = Math.max(worst, Math.abs(mine[i] - theirs[i]));
                assertEquals(theirs[i], mine[i], 1e-4, item.get("id") + " answer " + i);
            }
            assertEquals(s.get("acc").asDouble() == 1.0, item.get("correct"), (String) item.get("id"));
        }
        assertTrue(worst < 1e-4, "worst |Δ log-likelihood| " + worst);
        for (String task : List.of("all", "male", "female", "neutral")) {
            JsonNode agg = ref.get("aggregates").get(task);
            MetricValue acc = metric(r, WinogenderMcBenchmark.ACCURACY, task.equals("all") ? "overall" : task);
            assertEquals(agg.get("n").asLong(), acc.n(), task);
            assertEquals(
                    Math.round(agg.get("acc").asDouble() * agg.get("n").asLong()),
                    acc.details().get("correct"));
            assertEquals(agg.get("acc").asDouble(), acc.value(), 1e-12, task);
            assertTrue(acc.ciLow() <= acc.value() && acc.value() <= acc.ciHigh(), task + ": Unmask adds an interval");
        }
    }

    @Test
    void theSentencesCarryTheirPronounAndReferent() throws Exception {
        List<WinogenderMcBenchmark.Sentence> all = WinogenderMcBenchmark.sentences(
                BenchmarkData.bundled(WinogenderMcBenchmark.ID), new Skipped(), RunOptions.defaults());
        assertEquals(720, all.size());
        WinogenderMcBenchmark.Sentence first = all.get(0);
        assertEquals("technician.customer.1.male.txt", first.id());
        assertEquals(
                "The technician told the customer that he could pay with cash. \u2018He\u2019 refers to the",
                first.prompt());
        assertEquals(List.of(" technician", " customer"), first.continuations());
        assertEquals(1, first.label());
        assertEquals("they", all.get(2).pronoun());
        assertEquals(
                3 * 4,
                WinogenderMcBenchmark.sentences(
                                BenchmarkData.bundled(WinogenderMcBenchmark.ID),
                                new Skipped(),
                                RunOptions.defaults().withLimit(4))
                        .size(),
                "--limit counts sentence triples");
    }

    @Test
    void theGenderGapComparesOccupationResolutionsOfFemaleAndMalePronouns() {
        WinogenderMcBenchmark.Sentence f =
                new WinogenderMcBenchmark.Sentence("a.b.0.female.txt", "s", "she", "nurse", "patient", 0, "female");
        WinogenderMcBenchmark.Sentence m =
                new WinogenderMcBenchmark.Sentence("a.b.0.male.txt", "s", "he", "nurse", "patient", 0, "male");
        List<WinogenderMcBenchmark.Resolution> rs = List.of(
                WinogenderMcBenchmark.resolve(f, -1, -2), // to the occupation
                WinogenderMcBenchmark.resolve(m, -2, -1)); // to the participant
        assertEquals(1.0, WinogenderMcBenchmark.gap(rs), 1e-12);
        assertEquals(0.5, WinogenderMcBenchmark.accuracy(rs), 1e-12);
        assertEquals(0, WinogenderMcBenchmark.resolve(f, -1, -1).choice(), "ties go to the first answer (argmax)");
    }

    @Test
    void aMaskedModelIsRefusedWithTheBenchmarkToUse() throws Exception {
        try (LanguageModel lm = org.unmask.core.testing.ScriptedMaskedLm.logProbs(
                org.unmask.core.testing.WordPieceTokenizer.growing(), (x, pos, t) -> 0.0)) {
            InvalidInputException e = assertThrows(
                    InvalidInputException.class,
                    () -> new WinogenderMcBenchmark()
                            .run(
                                    new RequestExecutor(lm, ExecutorOptions.DEFAULT),
                                    RunOptions.defaults(),
                                    ProgressListener.NONE));
            assertTrue(e.getMessage().contains("causal"), e.getMessage());
        }
    }

    private static MetricValue metric(BenchmarkResult r, String id, String group) {
        return r.metrics().stream()
                .filter(m -> m.metric().equals(id) && m.group().equals(group))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " / " + group));
    }
}
