package org.unmask.models.djl.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.request.GenerationRequest;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;

/**
 * Tokens/s of next-token scoring and of generation on a GPT-2-small-shaped checkpoint (12 layers,
 * width 768, 12 heads, vocabulary 50257, context 1024) with random weights. Off by default (it writes
 * a 500 MB checkpoint and takes about a minute); run with
 * {@code mvn -o test -pl models -am -Dtest=CausalLmBenchmarkTest -Dunmask.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 * Random weights change nothing in the arithmetic, so the timings hold for the real gpt2 checkpoint.
 */
class CausalLmBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void measureTokensPerSecond() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("unmask.bench"), "benchmark: run with -Dunmask.bench=true");
        writeGpt2Small(tmp);
        System.out.println("load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
        try (CausalLm lm = (CausalLm) ModelLoader.load("gpt2-small-random", tmp, Map.of(), Backend.TORCH)) {
            SplittableRandom r = new SplittableRandom(1);
            for (int batch : new int[] {1, 8, 32}) {
                scoring(lm, r, batch, 12);
            }
            for (boolean cached : new boolean[] {true, false}) {
                generation(lm, 8, 64, cached);
            }
            sampling(lm, 16, 32);
        }
        System.out.println("load average at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** Batches of prompts of {@code length} tokens, next-token distribution (top-5) at the last position. */
    private static void scoring(CausalLm lm, SplittableRandom r, int batch, int length) throws Exception {
        List<LogProbQuery> qs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] ids = r.ints(length, 0, 50257).toArray();
            qs.add(new LogProbQuery(ids, List.of(new Read(length - 1, 5, new int[] {262}))));
        }
        lm.score(qs); // warm-up
        int reps = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 4_000_000_000L) {
            lm.score(qs);
            reps++;
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("scoring batch %d x %d tokens: %.1f prompts/s, %.0f input tokens/s, %.1f ms/batch%n",
                batch, length, reps * batch / s, reps * batch * length / s, 1000 * s / reps);
    }

    private static void generation(CausalLm lm, int promptLength, int newTokens, boolean cached) throws Exception {
        int[] prompt = new SplittableRandom(2).ints(promptLength, 0, 50000).toArray();
        // eos 50256 is excluded from the prompt; greedy on random weights rarely picks it, and we check
        lm.generateIds(prompt, 4, Sampler.greedy(), cached);
        long start = System.nanoTime();
        int[] out = lm.generateIds(prompt, newTokens, Sampler.greedy(), cached);
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("generation %s, prompt %d, %d new tokens: %.1f tokens/s (%.1f ms/token)%n",
                cached ? "with KV cache" : "full recomputation", promptLength, out.length, out.length / s,
                1000 * s / Math.max(1, out.length));
    }

    /** n samples of one prompt: one by one, then as one batch sharing the prompt pass. */
    private static void sampling(CausalLm lm, int n, int newTokens) throws Exception {
        List<GenerationRequest> reqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            reqs.add(new GenerationRequest("The man works as a", newTokens, 1.0, 50, 0.95, i));
        }
        long start = System.nanoTime();
        for (GenerationRequest r : reqs) {
            lm.generate(r);
        }
        double one = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        lm.generateAll(reqs);
        double batched = (System.nanoTime() - start) / 1e9;
        System.out.printf("sampling %d x %d new tokens: one by one %.1f tokens/s, batched %.1f tokens/s%n", n, newTokens,
                n * newTokens / one, n * newTokens / batched);
    }

    static void writeGpt2Small(Path dir) throws IOException {
        TinyCheckpoints.ByteLevelVocab.build().write(dir);
        int v = 50257;
        int h = 768;
        int layers = 12;
        int positions = 1024;
        ObjectNode c = TinyCheckpoints.JSON.createObjectNode();
        c.putArray("architectures").add("GPT2LMHeadModel");
        c.put("model_type", "gpt2").put("vocab_size", v).put("n_embd", h).put("n_layer", layers).put("n_head", 12)
                .put("n_positions", positions).put("bos_token_id", 50256).put("eos_token_id", 50256);
        Map<String, long[]> shapes = TinyCheckpoints.gpt2Shapes(v, h, layers, positions);
        SplittableRandom r = new SplittableRandom(3);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            int n = (int) Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            float[] a = new float[n];
            boolean gain = e.getKey().contains("ln_") && e.getKey().endsWith("weight");
            for (int i = 0; i < n; i++) {
                a[i] = gain ? 1f : (float) ((r.nextDouble() - 0.5) * 0.07); // uniform, std 0.02 as HF init
            }
            values.put(e.getKey(), a);
        }
        TinyCheckpoints.writeWeights(dir, c, shapes, values);
    }
}
