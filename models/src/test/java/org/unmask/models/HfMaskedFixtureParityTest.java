package org.unmask.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.TokenScorer;
import org.unmask.models.fixtures.HfFixtures;

/**
 * Parity of the masked LMs (BERT, RoBERTa, DistilBERT) with Hugging Face transformers on both backends:
 * for every masked fixture (tiny random checkpoint written by {@code tools/fixtures/make_masked_fixtures.py}),
 * the tokenizer must give transformers' ids and every log-probability at every position must be within the
 * fixture's tolerance (1e-4), read through the public {@link TokenScorer} API as the probes read it.
 */
class HfMaskedFixtureParityTest {

    @TestFactory
    Stream<DynamicTest> everyMaskedFixtureMatchesTransformersOnBothBackends() throws IOException, URISyntaxException {
        List<Path> folders = HfFixtures.folders("masked");
        assertFalse(folders.isEmpty(), "no masked fixtures: run python tools/fixtures/make_masked_fixtures.py");
        return folders.stream()
                .flatMap(f -> Stream.of(Backend.values())
                        .map(b -> DynamicTest.dynamicTest(f.getFileName() + "/" + b, () -> check(f, b))));
    }

    private static void check(Path folder, Backend backend) throws IOException, UnmaskException {
        JsonNode ref = HfFixtures.reference(folder);
        double tol = ref.path("tolerance").asDouble(1e-4);
        try (LanguageModel lm = ModelLoader.load(folder.getFileName().toString(), folder, Map.of(), backend)) {
            assertEquals(ref.path("architecture").asText(), lm.info().architecture());
            TokenScorer scorer = (TokenScorer) lm;
            List<LogProbQuery> batch = new ArrayList<>();
            for (JsonNode c : ref.path("cases")) {
                int[] ids = HfFixtures.ints(c.path("input_ids"));
                assertArrayEquals(
                        ids,
                        scorer.tokenizer().encode(c.path("text").asText()).ids(),
                        "token ids of \"" + c.path("text").asText() + "\"");
                int vocab = c.path("log_probs").get(0).size();
                int[] all = IntStream.range(0, vocab).toArray();
                batch.add(new LogProbQuery(
                        ids,
                        IntStream.range(0, ids.length)
                                .mapToObj(p -> new Read(p, 0, all))
                                .toList()));
            }
            // one padded batch: padding must not change any position's distribution either
            List<List<LogProbs>> got = scorer.score(batch);
            double worst = 0;
            for (int q = 0; q < batch.size(); q++) {
                JsonNode want = ref.path("cases").get(q).path("log_probs");
                for (int p = 0; p < want.size(); p++) {
                    float[] row = got.get(q).get(p).tokenLogProbs();
                    for (int v = 0; v < row.length; v++) {
                        worst = Math.max(worst, Math.abs(want.get(p).get(v).asDouble() - row[v]));
                    }
                }
            }
            assertTrue(worst <= tol, folder.getFileName() + "/" + backend + ": max |Δlog p| " + worst);
            System.out.printf(
                    "HF parity %s on %s (%s, transformers %s): max |Δlog p| %.2e%n",
                    folder.getFileName(),
                    backend,
                    lm.info().architecture(),
                    ref.path("transformers").asText(),
                    worst);
        }
    }
}
