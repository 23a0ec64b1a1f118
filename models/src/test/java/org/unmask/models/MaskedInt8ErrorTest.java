package org.unmask.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.TokenScorer;
import org.unmask.core.testing.RealModel;
import org.unmask.models.fixtures.HfFixtures;

/**
 * Int8 masked LMs on ONNX Runtime ({@code DynamicQuantizeMatMul}) stay within the error against fp32 that
 * {@link Precision#maskedMaxLogProbDelta()} and {@link Precision#maskedMinTop1Agreement()} state, over the whole
 * vocabulary at each mask: on every masked parity fixture (tiny random BERT, RoBERTa, DistilBERT) and on the embedded
 * bert-base-uncased at masked sentences of the gender-occupation audit's templates.
 */
class MaskedInt8ErrorTest {
    /** Mean share of fp32's top 5 at a mask that int8's top 5 keeps (measured 0.92 to 0.95). */
    private static final double MIN_TOP5_OVERLAP = 0.85;

    private static final String[] OCCUPATIONS = {
        "nurse",
        "secretary",
        "doctor",
        "engineer",
        "programmer",
        "carpenter",
        "teacher",
        "lawyer",
        "cashier",
        "mechanic",
        "librarian",
        "surgeon"
    };
    private static final String[] GROUPS = {"woman", "man", "girl", "boy", "mother", "father", "person"};

    @Test
    void int8StaysWithinTheMaskedBoundsOnEveryMaskedFixture() throws IOException, URISyntaxException, UnmaskException {
        List<Path> folders = HfFixtures.folders("masked");
        assertFalse(folders.isEmpty(), "no masked fixtures");
        for (Path folder : folders) {
            JsonNode ref = HfFixtures.reference(folder);
            List<int[]> texts = new ArrayList<>();
            for (JsonNode c : ref.path("cases")) {
                texts.add(HfFixtures.ints(c.path("input_ids")));
            }
            // every position of every case: the fixtures' sentences have no [MASK], and a tiny random model's
            // distribution is as sensitive at one position as at another
            Error e = compare(folder.getFileName().toString(), folder, texts, null);
            check(e);
        }
    }

    @Test
    @RealModel
    void int8BertBaseStaysWithinTheMaskedBoundsAtTheAuditsMasks() throws UnmaskException {
        List<String> sentences = new ArrayList<>();
        for (String g : GROUPS) {
            sentences.add("This " + g + " works as a [MASK].");
            sentences.add("The " + g + " is extremely [MASK].");
        }
        for (String o : OCCUPATIONS) {
            sentences.add("The " + o + " said that [MASK] would be late.");
            sentences.add("The " + o + " went home because [MASK] was tired.");
            sentences.add("The " + o + " is extremely [MASK].");
        }
        check(compare("bert-base-uncased", null, null, sentences));
    }

    /** Max |Δ log p| over the vocabulary, top-1 agreement and mean top-5 overlap, int8 against fp32. */
    record Error(String model, int masks, double maxDelta, double top1, double top5) {}

    private static void check(Error e) {
        System.out.printf(
                "int8 vs fp32 on %s (%d masks): max |delta log p| %.4f, top-1 agreement %.4f, top-5 overlap %.4f%n",
                e.model(), e.masks(), e.maxDelta(), e.top1(), e.top5());
        assertTrue(
                e.maxDelta() <= Precision.INT8.maskedMaxLogProbDelta(),
                e.model() + ": max |delta log p| " + e.maxDelta());
        assertTrue(e.top1() >= Precision.INT8.maskedMinTop1Agreement(), e.model() + ": top-1 agreement " + e.top1());
        assertTrue(e.top5() >= MIN_TOP5_OVERLAP, e.model() + ": top-5 overlap " + e.top5());
    }

    /**
     * Scores the masks of {@code sentences} (or, with a folder, every position of {@code ids}) in fp32 and int8 and
     * compares the full distributions. A null folder is the embedded model.
     */
    private static Error compare(String name, Path folder, List<int[]> ids, List<String> sentences)
            throws UnmaskException {
        List<List<LogProbs>> fp32;
        List<List<LogProbs>> int8;
        try (LanguageModel a = load(folder, Precision.FP32);
                LanguageModel b = load(folder, Precision.INT8)) {
            assertEquals(Precision.INT8.label(), b.info().lineage().get("precision"));
            TokenScorer s = (TokenScorer) a;
            int vocab = s.tokenizer().vocabularySize();
            int[] all = IntStream.range(0, vocab).toArray();
            List<LogProbQuery> batch = new ArrayList<>();
            if (sentences != null) {
                for (String text : sentences) {
                    int[] t = s.tokenizer()
                            .encode(text.replace("[MASK]", s.tokenizer().maskToken()))
                            .ids();
                    int p = 0;
                    while (t[p] != s.tokenizer().maskTokenId()) {
                        p++;
                    }
                    batch.add(new LogProbQuery(t, List.of(new Read(p, 5, all))));
                }
            } else {
                for (int[] t : ids) {
                    batch.add(new LogProbQuery(
                            t,
                            IntStream.range(0, t.length)
                                    .mapToObj(p -> new Read(p, 5, all))
                                    .toList()));
                }
            }
            fp32 = s.score(batch);
            int8 = ((TokenScorer) b).score(batch);
        }
        int masks = 0;
        int top1 = 0;
        double top5 = 0;
        double worst = 0;
        for (int q = 0; q < fp32.size(); q++) {
            for (int r = 0; r < fp32.get(q).size(); r++) {
                LogProbs x = fp32.get(q).get(r);
                LogProbs y = int8.get(q).get(r);
                for (int v = 0; v < x.tokenLogProbs().length; v++) {
                    assertTrue(Float.isFinite(y.tokenLogProbs()[v]), name + ": non-finite int8 log-prob");
                    worst = Math.max(worst, Math.abs(x.tokenLogProbs()[v] - y.tokenLogProbs()[v]));
                }
                masks++;
                top1 += x.topIds()[0] == y.topIds()[0] ? 1 : 0;
                Set<Integer> a = new HashSet<>();
                for (int id : x.topIds()) {
                    a.add(id);
                }
                int shared = 0;
                for (int id : y.topIds()) {
                    shared += a.contains(id) ? 1 : 0;
                }
                top5 += shared / 5.0;
            }
        }
        return new Error(name, masks, worst, (double) top1 / masks, top5 / masks);
    }

    private static LanguageModel load(Path folder, Precision p) throws UnmaskException {
        if (folder == null) {
            return ModelLoader.load(null, Backend.ONNX, p);
        }
        return ModelLoader.load(
                folder.getFileName().toString(), folder, Map.of(), Backend.ONNX, ModelLoader.cacheRoot(), p);
    }
}
