package org.unmask.models.perf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.TokenScorer;
import org.unmask.models.djl.DjlRuntime;

/**
 * The fill-mask hot path benchmark: a whole fill-mask step (inputs, encoder, MLM head on the mask
 * row, softmax, top-5 back in Java) on short template sentences, timed in windows, with the
 * achieved GFLOP/s set against the machine's FP32 peak and against a large libtorch matrix multiply
 * measured in the same run.
 */
public final class FillMaskPerf {
    /**
     * FP32 FMA peak assumed when it cannot be measured here: 2 Zen 4 cores, measured with an FMA loop
     * on the team's reference machine.
     */
    public static final double ASSUMED_PEAK_GFLOPS = 227;

    private static final String[] GROUPS = {"man", "woman", "boy", "girl", "person", "father", "mother", "nurse"};
    private static final String[] TEMPLATES = {
        "This %s works as a [MASK].",
        "The %s worked as a [MASK].",
        "The %s was hired as a [MASK] last year.",
        "My %s wanted to become a [MASK].",
        "Every %s here is a [MASK]."
    };

    /**
     * @param windows timed windows per point (median reported)
     * @param secondsPerWindow length of each window
     * @param batches batch sizes to measure
     * @param maxOthers a window during which other processes used more cores than this is measured again
     *     (at most 5 times), so a shared machine does not silently lower the numbers
     */
    public record Options(int windows, double secondsPerWindow, int[] batches, double maxOthers) {}

    /** One measured batch size. */
    public record Point(
            int batch,
            double meanTokens,
            double sentencesPerSecond,
            double msPerBatch,
            double gflops,
            double ratioToPeak,
            double ratioToGemm,
            double othersCores,
            double cpuMsPerSentence) {}

    /** All results of a run. */
    public record Result(
            String model,
            String backend,
            double peakGflops,
            boolean peakMeasured,
            double gemmGflops,
            List<Point> points) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private FillMaskPerf() {}

    public static Result run(TokenScorer model, Options options, java.io.PrintWriter log) throws ModelException {
        List<int[]> inputs = sentences(model);
        java.util.OptionalDouble measured = PeakProbe.measure();
        double peak = measured.orElse(ASSUMED_PEAK_GFLOPS);
        log.printf(
                measured.isPresent()
                        ? "FP32 FMA peak of this machine (measured, all cores): %.1f GFLOP/s%n"
                        : "FP32 FMA peak: %.1f GFLOP/s ASSUMED (no gcc to measure it here)%n",
                peak);
        double gemm = gemmGflops(options.secondsPerWindow());
        log.printf("libtorch GEMM 1024x768x3072 FP32: %.1f GFLOP/s (%.2f of peak)%n", gemm, gemm / peak);
        List<Point> points = new ArrayList<>();
        for (int b : options.batches()) {
            points.add(measure(model, inputs, b, options, gemm, peak, log));
        }
        return new Result(model.info().id(), model.info().backend(), peak, measured.isPresent(), gemm, points);
    }

    private static Point measure(
            TokenScorer model,
            List<int[]> inputs,
            int batch,
            Options o,
            double gemm,
            double peak,
            java.io.PrintWriter log)
            throws ModelException {
        double[] rates = new double[o.windows()];
        double[] flops = new double[o.windows()];
        double[] others = new double[o.windows()];
        double[] cpu = new double[o.windows()];
        double tokens = 0;
        int cursor = 0;
        runBatch(model, inputs, 0, batch); // warm-up
        int retries = 0;
        for (int w = 0; w < o.windows(); w++) {
            CpuMeter meter = CpuMeter.start();
            long t0 = System.nanoTime();
            long sentences = 0;
            double fl = 0;
            double tok = 0;
            while (System.nanoTime() - t0 < o.secondsPerWindow() * 1e9) {
                int padded = runBatch(model, inputs, cursor, batch);
                cursor = (cursor + batch) % inputs.size();
                sentences += batch;
                fl += batch * flopsPerSentence(padded, model);
                tok += batch * padded;
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            rates[w] = sentences / sec;
            flops[w] = fl / sec / 1e9;
            others[w] = meter.othersCores();
            cpu[w] = 1000.0 * meter.ownCpuSeconds() / sentences;
            tokens = tok / sentences;
            if (others[w] > o.maxOthers() && retries < 5) {
                retries++;
                w--;
            }
        }
        double rate = median(rates);
        double gf = median(flops);
        Point p = new Point(
                batch, tokens, rate, 1000.0 * batch / rate, gf, gf / peak, gf / gemm, median(others), median(cpu));
        log.printf(
                "batch %2d: %7.1f sentences/s  %7.1f ms/batch  %6.1f GFLOP/s  %.2f of peak  %.2f of GEMM"
                        + "  %.1f CPU ms/sentence  (padded T %.1f, other processes %.2f cores, %d windows re-run)%n",
                batch,
                rate,
                p.msPerBatch(),
                gf,
                p.ratioToPeak(),
                p.ratioToGemm(),
                p.cpuMsPerSentence(),
                tokens,
                p.othersCores(),
                retries);
        return p;
    }

    /** Runs one batch of top-5 fill-mask; returns its padded length. */
    private static int runBatch(TokenScorer model, List<int[]> inputs, int from, int batch) throws ModelException {
        List<LogProbQuery> qs = new ArrayList<>(batch);
        int padded = 0;
        int mask = model.tokenizer().maskTokenId();
        for (int i = 0; i < batch; i++) {
            int[] ids = inputs.get((from + i) % inputs.size());
            int p = 0;
            while (ids[p] != mask) {
                p++;
            }
            qs.add(new LogProbQuery(ids, List.of(new Read(p, 5, new int[0]))));
            padded = Math.max(padded, ids.length);
        }
        model.score(qs);
        return padded;
    }

    /** Multiply-adds count 2: encoder layers at the padded length plus the MLM head on one row. */
    static double flopsPerSentence(int t, TokenScorer model) {
        // bert-base shape; other sizes would need their config, which this benchmark does not take
        double d = 768;
        double ff = 3072;
        double v = model.tokenizer().vocabularySize();
        double layer = 2.0 * t * (4 * d * d + 2 * d * ff) + 4.0 * t * t * d;
        return 12 * layer + 2 * (d * d + d * v);
    }

    private static List<int[]> sentences(TokenScorer model) {
        List<int[]> out = new ArrayList<>();
        for (String text : texts(model)) {
            Encoding e = model.tokenizer().encode(text);
            out.add(e.ids());
        }
        return out;
    }

    /** The benchmark's sentences in order, with this model's mask token. */
    static List<String> texts(TokenScorer model) {
        List<String> out = new ArrayList<>();
        String mask = model.tokenizer().maskToken();
        for (String t : TEMPLATES) {
            for (String g : GROUPS) {
                out.add(String.format(t, g).replace("[MASK]", mask));
            }
        }
        return out;
    }

    /**
     * Writes the benchmark's sentences (text and token ids, in the order the batch cursor takes them), the mask id
     * and the vocabulary size as JSON, so a peer measured elsewhere (tools/peers/fill_mask_peers.py) runs exactly
     * these inputs and credits the same FLOPs.
     */
    public static void writeSentences(TokenScorer model, Path file) throws InvalidInputException {
        ObjectNode root = JSON.createObjectNode();
        root.put("mask_id", model.tokenizer().maskTokenId());
        root.put("vocab", model.tokenizer().vocabularySize());
        root.put("model", model.info().id());
        ArrayNode list = root.putArray("sentences");
        for (String text : texts(model)) {
            ObjectNode s = list.addObject();
            s.put("text", text);
            ArrayNode ids = s.putArray("ids");
            for (int id : model.tokenizer().encode(text).ids()) {
                ids.add(id);
            }
        }
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write " + file + ": " + e.getMessage(), "choose a writable path for --sentences-out");
        }
    }

    /** A large FP32 libtorch matrix multiply, the same shape as the feed-forward layer at batch 1024 tokens. */
    static double gemmGflops(double seconds) throws ModelException {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(1024, 768));
            NDArray b = m.randomUniform(-1, 1, new Shape(768, 3072));
            a.matMul(b).close();
            long n = 0;
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < seconds * 1e9) {
                a.matMul(b).close();
                n++;
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            return n * 2.0 * 1024 * 768 * 3072 / sec / 1e9;
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
