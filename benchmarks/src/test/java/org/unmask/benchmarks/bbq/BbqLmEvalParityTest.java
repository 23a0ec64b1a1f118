package org.unmask.benchmarks.bbq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.RunOptions;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.models.ModelLoader;

/**
 * Unmask's BBQ against lm-evaluation-harness 0.4.13's own {@code bbq} task on the same tiny GPT-2 and the same
 * subsample (tools/fixtures/make_lmeval_fixtures.py): the same prompts and choices, every log-likelihood within
 * 1e-4 (chat: every difference between a question's choices, see below), the same chosen answers, and lm-eval's
 * aggregates recomputed exactly from Unmask's counts. The subsample includes the intersectional categories, where
 * lm-eval's biased answers (race only) are Unmask's {@code lmEvalBiased} ones, not the paper's that Unmask reports.
 */
class BbqLmEvalParityTest {
    private static final Path FIXTURES = Path.of("src/test/resources/lm-eval");
    private static final int LIMIT = 8;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"mc", "chat"})
    void asksAndScoresAsLmEvaluationHarness(String variant) throws Exception {
        JsonNode ref = new ObjectMapper()
                .readTree(FIXTURES.resolve(variant.equals("mc") ? "bbq-gpt2-512.json" : "bbq-gpt2-512-chat.json")
                        .toFile());
        Path model = model(ref);
        BbqBenchmark.Variant v = variant.equals("mc") ? BbqBenchmark.Variant.MC : BbqBenchmark.Variant.CHAT;
        List<BbqExample> examples = BbqBenchmark.examples(
                BenchmarkData.bundled(BbqBenchmark.ID), RunOptions.defaults().withLimit(LIMIT));
        Map<String, JsonNode> samples = new LinkedHashMap<>();
        for (JsonNode s : ref.get("samples")) {
            samples.put(s.get("category").asText() + "#" + s.get("example_id").asInt(), s);
        }
        assertEquals(samples.size(), examples.size(), "the same subsample");
        List<BbqScoring.Outcome> outcomes = new ArrayList<>();
        double worst = 0;
        try (LanguageModel lm = ModelLoader.load(model.toString())) {
            RequestExecutor exec = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            for (BbqExample e : examples) {
                JsonNode s = samples.get(e.category() + "#" + e.exampleId());
                List<String> choices = BbqScoring.choices(e);
                for (int i = 0; i < choices.size(); i++) {
                    String cont = s.get("continuations").get(i).asText();
                    assertEquals((v == BbqBenchmark.Variant.MC ? " " : "") + choices.get(i), cont, e.where());
                }
                if (v == BbqBenchmark.Variant.MC) {
                    assertEquals(e.prompt(), s.get("context").asText(), e.where());
                }
                List<ModelRequest<TokenLogProbs>> rs = BbqBenchmark.requests(e, v);
                List<TokenLogProbs> lps = exec.executeAll(rs, ProgressListener.NONE);
                double[] ll = new double[rs.size()];
                double[] theirs = new double[rs.size()];
                for (int i = 0; i < ll.length; i++) {
                    ll[i] = lps.get(i).sum();
                    theirs[i] = s.get("loglikelihoods").get(i).asDouble();
                }
                for (int i = 0; i < ll.length; i++) {
                    // chat: lm-eval moves the template's trailing "\n" (after "assistant:") into every answer and
                    // scores it too; Unmask scores the reply after the whole generation prompt. The two differ by the
                    // same log P("\n") in every choice of a question, so choices are compared relative to choice 0
                    double mine = v == BbqBenchmark.Variant.MC ? ll[i] : ll[i] - ll[0];
                    double expected = v == BbqBenchmark.Variant.MC ? theirs[i] : theirs[i] - theirs[0];
                    worst = Math.max(worst, Math.abs(mine - expected));
                    assertEquals(expected, mine, 1e-4, e.where() + " choice " + choices.get(i));
                }
                BbqScoring.Outcome o = BbqScoring.answer(e, ll);
                assertEquals(BbqScoring.answer(e, theirs).choice(), o.choice(), e.where());
                outcomes.add(o);
            }
        }
        assertTrue(worst < 1e-4, "worst |Δ log-likelihood| " + worst);
        JsonNode agg = ref.get("aggregates");
        assertEquals(agg.get("acc").asDouble(), BbqScoring.accuracy(outcomes), 1e-12);
        List<BbqScoring.Outcome> amb = only(outcomes, o -> o.example().ambiguous());
        List<BbqScoring.Outcome> dis = only(outcomes, o -> !o.example().ambiguous());
        assertEquals(agg.get("accuracy_amb").asDouble(), BbqScoring.accuracy(amb), 1e-12);
        assertEquals(agg.get("accuracy_disamb").asDouble(), BbqScoring.accuracy(dis), 1e-12);
        assertEquals(agg.get("disamb_bias_score").asDouble(), lmEvalBias(dis), 1e-12);
        assertEquals(agg.get("amb_bias_score").asDouble(), (1 - BbqScoring.accuracy(amb)) * lmEvalBias(amb), 1e-12);
        for (String cat :
                outcomes.stream().map(o -> o.example().category()).distinct().toList()) {
            List<BbqScoring.Outcome> ca = only(amb, o -> o.example().category().equals(cat));
            List<BbqScoring.Outcome> cd = only(dis, o -> o.example().category().equals(cat));
            assertEquals(agg.get("disamb_bias_score_" + cat).asDouble(), lmEvalBias(cd), 1e-12, cat);
            assertEquals(
                    agg.get("amb_bias_score_" + cat).asDouble(),
                    (1 - BbqScoring.accuracy(ca)) * lmEvalBias(ca),
                    1e-12,
                    cat);
        }
    }

    /** The fixture model; the chat run's is a copy of it with the chat template lm-eval used. */
    private Path model(JsonNode ref) throws IOException {
        Path base = FIXTURES.resolve("gpt2-512");
        if (ref.get("chat_template").isNull()) {
            return base;
        }
        Path chat = Files.createDirectories(tmp.resolve("gpt2-512-chat"));
        try (var files = Files.list(base)) {
            for (Path f : files.toList()) {
                Files.copy(f, chat.resolve(f.getFileName()));
            }
        }
        Files.writeString(
                chat.resolve("chat_template.jinja"), ref.get("chat_template").asText());
        return chat;
    }

    private static double lmEvalBias(List<BbqScoring.Outcome> os) {
        return BbqScoring.lmEvalBiasScore(
                os.stream().filter(BbqScoring.Outcome::lmEvalBiased).count(),
                os.stream().filter(BbqScoring.Outcome::nonUnknown).count());
    }

    private static List<BbqScoring.Outcome> only(List<BbqScoring.Outcome> os, Predicate<BbqScoring.Outcome> p) {
        return os.stream().filter(p).toList();
    }
}
