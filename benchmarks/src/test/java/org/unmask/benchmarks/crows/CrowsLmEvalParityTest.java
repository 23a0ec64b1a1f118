package org.unmask.benchmarks.crows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.Skipped;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.models.ModelLoader;

/**
 * Unmask's causal CrowS-Pairs ({@code crows-pairs/causal-sentence-loglik}) against lm-evaluation-harness 0.4.13's own
 * {@code crows_pairs_english} task on the same tiny GPT-2 and the same 40 pairs
 * (tools/fixtures/make_lmeval_fixtures.py): the same two sentences per pair, every sentence log-likelihood within
 * 1e-4, the same preferred sentence in every pair, and lm-eval's {@code pct_stereotype} and
 * {@code likelihood_diff} from Unmask's scores.
 */
class CrowsLmEvalParityTest {
    private static final Path FIXTURES = Path.of("src/test/resources/lm-eval");
    private static final int LIMIT = 40;

    @Test
    void scoresSentencesAndPairsAsLmEvaluationHarness() throws Exception {
        JsonNode ref = new ObjectMapper()
                .readTree(FIXTURES.resolve("crows_pairs_english-gpt2-512.json").toFile());
        RunOptions options = RunOptions.defaults().withLimit(LIMIT);
        List<CrowsPair> pairs =
                CrowsPairsBenchmark.select(CrowsPairsData.read(BenchmarkData.bundled(CrowsPairsBenchmark.ID)), options);
        JsonNode samples = ref.get("samples");
        assertEquals(samples.size(), pairs.size(), "the same subsample");
        CrowsVariant v = CrowsVariant.CAUSAL_SENTENCE_LOGLIK;
        Set<CrowsVariant> variants = EnumSet.of(v);
        List<CrowsPairsBenchmark.Outcome> outcomes = new ArrayList<>();
        double worst = 0;
        double diffSum = 0;
        try (LanguageModel lm = ModelLoader.load(FIXTURES.resolve("gpt2-512").toString())) {
            RequestExecutor exec = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            List<CrowsPairsBenchmark.Plan> plans = new ArrayList<>();
            Set<ModelRequest<?>> requests = new LinkedHashSet<>();
            for (CrowsPair p : pairs) {
                CrowsPairsBenchmark.Plan plan = CrowsPairsBenchmark.plan(p, lm.tokenizer(), variants, new Skipped());
                plans.add(plan);
                int[][] pos = plan.positions().get(v);
                requests.add(CrowsPairsBenchmark.request(v, p.sent1(), pos[0]));
                requests.add(CrowsPairsBenchmark.request(v, p.sent2(), pos[1]));
            }
            Map<ModelRequest<?>, Object> answers = exec.executeMixed(requests, ProgressListener.NONE);
            for (int i = 0; i < plans.size(); i++) {
                CrowsPair p = plans.get(i).pair();
                JsonNode s = samples.get(i);
                String where = p.where() + " (index " + p.index() + ")";
                assertEquals(s.get("index").asInt(), p.index(), where);
                assertEquals(s.get("bias_type").asText(), p.biasType(), where);
                // lm-eval asks [sent_more, sent_less] with an empty context: log P(sentence | <|endoftext|>)
                assertEquals(s.get("continuations").get(0).asText(), p.sentMore(), where);
                assertEquals(s.get("continuations").get(1).asText(), p.sentLess(), where);
                int[][] pos = plans.get(i).positions().get(v);
                TokenLogProbs t1 = (TokenLogProbs) answers.get(CrowsPairsBenchmark.request(v, p.sent1(), pos[0]));
                TokenLogProbs t2 = (TokenLogProbs) answers.get(CrowsPairsBenchmark.request(v, p.sent2(), pos[1]));
                double more = (p.antistereo() ? t2 : t1).sum();
                double less = (p.antistereo() ? t1 : t2).sum();
                double theirMore = s.get("loglikelihoods").get(0).asDouble();
                double theirLess = s.get("loglikelihoods").get(1).asDouble();
                worst = Math.max(worst, Math.max(Math.abs(more - theirMore), Math.abs(less - theirLess)));
                assertEquals(theirMore, more, 1e-4, where + " sent_more");
                assertEquals(theirLess, less, 1e-4, where + " sent_less");
                diffSum += Math.abs(more - less);
                CrowsPairsBenchmark.Outcome o = CrowsPairsBenchmark.score(p, v, t1, t2);
                // Unmask rounds to 3 decimals first (as the CrowS-Pairs reference code); lm-eval compares unrounded,
                // so the two agree unless a pair ties after rounding, which this subsample does not have
                assertFalse(o.tie(), where + " ties after rounding");
                assertEquals(s.get("pct_stereotype").asDouble() == 1.0, o.morePreferred(), where);
                outcomes.add(o);
            }
        }
        assertTrue(worst < 1e-4, "worst |Δ log-likelihood| " + worst);
        JsonNode agg = ref.get("aggregates");
        MetricValue overall = CrowsPairsBenchmark.metric(v, "overall", outcomes, options);
        long preferred = outcomes.stream()
                .filter(CrowsPairsBenchmark.Outcome::morePreferred)
                .count();
        assertEquals(Math.round(agg.get("pct_stereotype").asDouble() * LIMIT), preferred);
        assertEquals(100 * agg.get("pct_stereotype").asDouble(), overall.value(), 1e-9);
        // likelihood_diff: lm-eval's mean |ll(sent_more) − ll(sent_less)|; Unmask does not report it
        assertEquals(agg.get("likelihood_diff").asDouble(), diffSum / LIMIT, 1e-4);
    }
}
