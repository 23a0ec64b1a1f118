package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;
import org.unmask.core.request.GenerationRequest;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;

/**
 * Behaviour of every decoder family on tiny random checkpoints: the KV cache, padding, normalisation
 * and seeded sampling. These check internal consistency, not parity with Hugging Face (see
 * {@code HfFixtureParityTest}).
 */
class CausalLmTest {
    static final String FAMILIES = "gpt2,llama,llama-gqa,mistral-tied,olmo,olmo2,bloom";

    @TempDir
    Path tmp;

    /** Every family on both engines: the behaviours below hold whichever runs the model. */
    static Stream<Arguments> familiesOnBothBackends() {
        return Stream.of(FAMILIES.split(","))
                .flatMap(f -> Stream.of(Backend.TORCH, Backend.ONNX).map(b -> Arguments.of(f, b)));
    }

    static CausalLm open(String family, Path dir) throws IOException, UnmaskException {
        return (CausalLm) open(family, dir, Backend.TORCH);
    }

    static DecoderLm open(String family, Path dir, Backend backend) throws IOException, UnmaskException {
        switch (family) {
            case "gpt2" -> TinyCheckpoints.gpt2(dir, 11);
            case "llama" -> TinyCheckpoints.llama(dir, "LlamaForCausalLM", 4, 4, false, 12);
            case "llama-gqa" -> TinyCheckpoints.llama(dir, "LlamaForCausalLM", 4, 2, false, 13);
            case "mistral-tied" -> TinyCheckpoints.llama(dir, "MistralForCausalLM", 4, 1, true, 14);
            case "olmo" -> TinyCheckpoints.llama(dir, "OlmoForCausalLM", 4, 4, false, 15);
            case "olmo2" -> TinyCheckpoints.llama(dir, "Olmo2ForCausalLM", 4, 2, false, 16);
            case "bloom" -> TinyCheckpoints.bloom(dir, 6, 17);
            default -> throw new IllegalArgumentException(family);
        }
        DecoderLm lm = (DecoderLm) ModelLoader.load(family, dir, Map.of(), backend, dir.resolve("cache"));
        assertEquals(backend == Backend.ONNX, lm instanceof org.unmask.models.onnxgen.OrtCausalLm, "engine");
        return lm;
    }

    @ParameterizedTest
    @MethodSource("familiesOnBothBackends")
    void cachedGenerationMatchesFullRecomputation(String family, Backend backend) throws Exception {
        try (DecoderLm lm = open(family, tmp, backend)) {
            int[] prompt = lm.promptIds("The man works as a");
            int[] cached = lm.generateIds(prompt, 16, Sampler.greedy(), true);
            int[] full = lm.generateIds(prompt, 16, Sampler.greedy(), false);
            assertArrayEquals(full, cached);
            assertTrue(cached.length > 0, "generated nothing");
            // and the logits themselves, step by step
            try (DecoderLm.Steps cache = lm.steps()) {
                int[] seq = prompt.clone();
                float[] step = cache.feed(prompt, 1);
                for (int t = 0; t < 6; t++) {
                    float[] all = lm.allLogits(seq);
                    int vocab = step.length;
                    for (int i = 0; i < vocab; i++) {
                        assertEquals(all[(seq.length - 1) * vocab + i], step[i], 1e-4, "step " + t + " id " + i);
                    }
                    int next = Sampler.argmax(step);
                    seq = Arrays.copyOf(seq, seq.length + 1);
                    seq[seq.length - 1] = next;
                    step = cache.feed(new int[] {next}, 1);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("familiesOnBothBackends")
    void paddingNeverChangesAScore(String family, Backend backend) throws Exception {
        try (DecoderLm lm = open(family, tmp, backend)) {
            LogProbQuery longer = everyPosition(lm.promptIds("The woman said that she was tired"));
            LogProbQuery shorter = everyPosition(lm.promptIds("The man"));
            List<List<LogProbs>> together = lm.score(List.of(shorter, longer));
            List<List<LogProbs>> alone = new ArrayList<>();
            alone.add(lm.score(List.of(shorter)).get(0));
            alone.add(lm.score(List.of(longer)).get(0));
            for (int q = 0; q < 2; q++) {
                for (int r = 0; r < together.get(q).size(); r++) {
                    LogProbs a = together.get(q).get(r);
                    LogProbs b = alone.get(q).get(r);
                    assertArrayEquals(b.topIds(), a.topIds(), "query " + q + " read " + r);
                    assertArrayEquals(b.topLogProbs(), a.topLogProbs(), 1e-5f);
                    assertArrayEquals(b.tokenLogProbs(), a.tokenLogProbs(), 1e-5f);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("familiesOnBothBackends")
    void logSoftmaxRowsSumToOne(String family, Backend backend) throws Exception {
        try (DecoderLm lm = open(family, tmp, backend)) {
            int[] ids = lm.promptIds("The doctor said that he");
            int vocab = lm.config().vocab();
            Read all = new Read(ids.length - 1, vocab, new int[0]);
            LogProbs row = lm.score(List.of(new LogProbQuery(ids, List.of(all))))
                    .get(0)
                    .get(0);
            double sum = 0;
            for (float lp : row.topLogProbs()) {
                sum += Math.exp(lp);
            }
            assertEquals(1.0, sum, 1e-4);
            assertTrue(row.topLogProbs()[0] > Math.log(3.0 / vocab), "the random model should not be uniform");
        }
    }

    @ParameterizedTest
    @MethodSource("familiesOnBothBackends")
    void samplingIsDeterministicPerSeedAndVariesAcrossSeeds(String family, Backend backend) throws Exception {
        try (DecoderLm lm = open(family, tmp, backend)) {
            String a = lm.generate(new GenerationRequest("The man", 12, 1.0, 0, 0.95, 7));
            String b = lm.generate(new GenerationRequest("The man", 12, 1.0, 0, 0.95, 7));
            assertEquals(a, b);
            Set<String> distinct = new HashSet<>();
            for (long seed = 1; seed <= 6; seed++) {
                distinct.add(lm.generate(new GenerationRequest("The man", 12, 1.0, 0, 0.95, seed)));
            }
            assertTrue(distinct.size() > 1, "six seeds gave one sample: " + distinct);
            // top-k = 1 leaves only the argmax: the same as greedy whatever the seed and temperature
            String greedy = lm.generate(new GenerationRequest("The man", 8, 0, 0, 1, 0));
            assertEquals(greedy, lm.generate(new GenerationRequest("The man", 8, 1.5, 1, 1, 99)));
        }
    }

    @ParameterizedTest
    @MethodSource("familiesOnBothBackends")
    void batchedSamplesOfOnePromptEqualOneByOneGeneration(String family, Backend backend) throws Exception {
        try (DecoderLm lm = open(family, tmp, backend)) {
            List<GenerationRequest> reqs = new ArrayList<>();
            for (long seed = 1; seed <= 5; seed++) {
                reqs.add(new GenerationRequest("The nurse said", 10, 1.0, 0, 0.9, seed));
            }
            reqs.add(new GenerationRequest("The man", 7, 0.7, 5, 1, 3));
            reqs.add(new GenerationRequest("The nurse said", 4, 0, 0, 1, 0));
            List<String> batched = lm.generateAll(reqs);
            List<String> single = new ArrayList<>();
            for (GenerationRequest r : reqs) {
                single.add(lm.generate(r));
            }
            assertEquals(single, batched);
            assertTrue(new HashSet<>(batched.subList(0, 5)).size() > 1, "five seeds gave one sample");
        }
    }

    static LogProbQuery everyPosition(int[] ids) {
        List<Read> reads = new ArrayList<>();
        for (int p = 0; p < ids.length; p++) {
            reads.add(new Read(p, 5, new int[] {3, 7, 40}));
        }
        return new LogProbQuery(ids, reads);
    }
}
