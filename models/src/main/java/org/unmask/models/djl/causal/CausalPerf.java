package org.unmask.models.djl.causal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.models.Precision;
import org.unmask.models.perf.BandwidthProbe;
import org.unmask.models.perf.CpuMeter;
import org.unmask.models.perf.PeakProbe;
import org.unmask.models.perf.ProcessMemory;

/**
 * Throughput of a causal LM's two hot paths, each against the limit that binds it on this machine:
 * next-token scoring (compute-bound: GFLOP/s against the measured FP32 FMA peak) and batch-1 generation with
 * the KV cache (memory-bound: every weight is read once per new token, so weight bytes per second against the
 * measured memory read bandwidth), plus N samples of one prompt run as one batch per step, as sampling studies
 * run them. Windows during which other processes used more than {@code maxOthers} cores are re-run (up to 5
 * times) and the median window counts.
 */
public final class CausalPerf {
    /**
     * @param seconds length of one timed window
     * @param windows timed windows per point (median reported)
     * @param batches scoring batch sizes
     * @param promptTokens prompt length for scoring and generation
     * @param newTokens tokens generated per measurement
     * @param samples samples of one prompt in the batched-sampling point
     * @param maxOthers re-run a window when other processes used more cores than this
     */
    public record Options(
            double seconds,
            int windows,
            int[] batches,
            int promptTokens,
            int newTokens,
            int samples,
            double maxOthers) {
        public static final Options DEFAULT = new Options(3, 3, new int[] {1, 8, 32}, 12, 64, 16, 0.15);
    }

    /** One measured point: {@code rate} in its unit, {@code ratio} to the machine limit named by {@code limit}. */
    public record Point(
            String what, double rate, String unit, double achieved, double ratio, String limit, double othersCores) {}

    /**
     * This machine's limits.
     *
     * @param peakGflops FP32 FMA peak, NaN when unknown
     * @param readGbps main-memory read bandwidth in GB/s
     * @param peakMeasured whether the peak was measured (false: unknown)
     * @param bandwidthHow how the bandwidth was measured (threads, size, page size), printed with it
     */
    public record Limits(double peakGflops, double readGbps, boolean peakMeasured, String bandwidthHow) {
        /** Measures both here (a few seconds: a compiled FMA loop and a 512 MB read). */
        public static Limits measure() {
            OptionalDouble peak = PeakProbe.measure();
            BandwidthProbe.Reading bw = BandwidthProbe.measure();
            return new Limits(peak.orElse(Double.NaN), bw.gigabytesPerSecond(), peak.isPresent(), bw.describe());
        }
    }

    /**
     * " - ABOVE THE LIMIT ..." when a measured rate exceeds the limit it is a share of: the limit was measured too
     * low (a ratio above 1 is never printed as if it were an achievement); empty otherwise.
     */
    static String overLimit(double ratio, String limit) {
        return ratio > 1
                ? String.format(
                        " - ABOVE THE MEASURED %s (ratio %.3f > 1): the limit was mis-measured, so this ratio"
                                + " means nothing; see how the limit was measured above",
                        limit.toUpperCase(java.util.Locale.ROOT), ratio)
                : "";
    }

    private CausalPerf() {}

    /** Runs every point and prints one line each; returns the points. */
    public static List<Point> run(DecoderLm lm, Options o, Limits limits, PrintWriter out) throws ModelException {
        DecoderConfig c = lm.config();
        double params = matmulParams(c);
        double weightBytes = bytesPerWeight(lm.precision()) * (params + (double) c.vocab() * c.hidden());
        out.printf(
                "causal benchmark: %s on %s (%s, %d layers, width %d, vocabulary %d; %.1f M matmul parameters, "
                        + "%.0f MB %s read per token), %d cores%n",
                lm.info().id(),
                lm.info().backend(),
                c.family(),
                c.layers(),
                c.hidden(),
                c.vocab(),
                (params + (double) c.vocab() * c.hidden()) / 1e6,
                weightBytes / 1e6,
                lm.precision() == Precision.FP32 ? "float32" : lm.precision().label(),
                Runtime.getRuntime().availableProcessors());
        out.printf("weights: %s%n", lm.precision().describe());
        double peak = limits.peakGflops();
        double bandwidth = limits.readGbps();
        out.printf(
                "this machine: FP32 FMA peak %s, memory read bandwidth %.1f GB/s (%s)%n",
                limits.peakMeasured() ? String.format("%.0f GFLOP/s", peak) : "unknown (no gcc)",
                bandwidth,
                limits.bandwidthHow());
        List<Point> points = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int b : o.batches()) {
            points.add(scoring(lm, o, b, r, peak, out));
        }
        points.add(generation(lm, o, weightBytes, bandwidth, out));
        points.add(sampling(lm, o, peak, out));
        return points;
    }

    /**
     * Bytes each weight matrix entry occupies as held, which a batch-1 step reads: 4, 2 (bf16 as float16) or 1
     * (int8; its float16 dequantisation is written and read again per product, traffic not counted here).
     */
    static double bytesPerWeight(Precision p) {
        return switch (p) {
            case FP32 -> 4;
            case BF16 -> 2;
            case INT8 -> 1;
        };
    }

    /**
     * Prints and returns this process's peak resident memory (Linux {@code VmHWM}) against {@code budgetBytes};
     * null where the system does not report it.
     */
    public static Point memory(String what, double budgetBytes, PrintWriter out) {
        OptionalLong peak = ProcessMemory.peakBytes();
        if (peak.isEmpty()) {
            out.println(what + ": peak resident memory unknown (no /proc/self/status)");
            return null;
        }
        double gb = peak.getAsLong() / 1e9;
        Point p = new Point(what, gb, "GB peak resident (VmHWM)", gb, gb / (budgetBytes / 1e9), "memory budget", 0);
        out.printf(
                "%s: peak resident memory %.2f GB (VmHWM) = %.2f of the %.1f GB budget%s%n",
                what, gb, p.ratio(), budgetBytes / 1e9, p.ratio() <= 1 ? "" : " - OVER BUDGET");
        return p;
    }

    /** Parameters of the per-token matrix products (attention projections and MLP), per the family's layout. */
    static double matmulParams(DecoderConfig c) {
        double d = c.hidden();
        double attn = switch (c.family()) {
            case GPT2, BLOOM -> 4 * d * d;
            case LLAMA, OLMO, OLMO2 -> d * c.headDim() * (2.0 * c.heads() + 2.0 * c.kvHeads());
        };
        double mlp = (c.family() == DecoderConfig.Family.GPT2 || c.family() == DecoderConfig.Family.BLOOM ? 2 : 3)
                * d
                * c.intermediate();
        return c.layers() * (attn + mlp);
    }

    private static Point scoring(DecoderLm lm, Options o, int batch, SplittableRandom r, double peak, PrintWriter out)
            throws ModelException {
        DecoderConfig c = lm.config();
        int t = o.promptTokens();
        List<LogProbQuery> qs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] ids =
                    r.ints(t, 0, c.vocab()).filter(id -> !c.isEos(id)).limit(t).toArray();
            qs.add(new LogProbQuery(ids, List.of(new Read(ids.length - 1, 5, new int[] {0}))));
        }
        // 2 FLOPs per multiply-add: the matrix products of every token, causal attention, the head on one row
        double flops = batch
                * (2 * matmulParams(c) * t
                        + 4.0 * c.layers() * t * t * c.heads() * c.headDim()
                        + 2.0 * c.hidden() * c.vocab());
        lm.score(qs); // warm-up
        Window w = timed(o, () -> lm.score(qs));
        double prompts = batch * w.perSecond();
        double gflops = flops * w.perSecond() / 1e9;
        Point p = new Point(
                "next-token scoring, batch " + batch + " x " + t + " tokens",
                prompts * t,
                "input tokens/s",
                gflops,
                gflops / peak,
                "FP32 peak",
                w.others());
        out.printf(
                "%s: %.1f prompts/s, %.0f input tokens/s (CPU %.2f ms/prompt), %.1f GFLOP/s = %.2f of peak (other"
                        + " processes %.2f cores)%s%n",
                p.what(),
                prompts,
                p.rate(),
                1000 * w.cpuPerRun() / batch,
                gflops,
                p.ratio(),
                w.others(),
                overLimit(p.ratio(), p.limit()));
        return p;
    }

    private static Point generation(DecoderLm lm, Options o, double weightBytes, double bandwidth, PrintWriter out)
            throws ModelException {
        int[] prompt = prompt(lm, o.promptTokens());
        lm.generateIds(prompt, 4, Sampler.greedy(), true); // warm-up
        int[] made = new int[1];
        Window w = timed(o, () -> made[0] = lm.generateIds(prompt, o.newTokens(), Sampler.greedy(), true).length);
        double tokens = made[0] * w.perSecond();
        double gbps = tokens * weightBytes / 1e9;
        Point p = new Point(
                "greedy generation, KV cache, batch 1, prompt " + prompt.length + " + " + made[0] + " new",
                tokens,
                "new tokens/s",
                gbps,
                gbps / bandwidth,
                "memory read bandwidth",
                w.others());
        out.printf(
                "%s: %.1f new tokens/s (%.1f ms/token, CPU %.1f ms/token), weights read at %.1f GB/s = %.2f of memory"
                        + " bandwidth (other processes %.2f cores)%s%n",
                p.what(),
                tokens,
                1000 / tokens,
                1000 * w.cpuPerRun() / made[0],
                gbps,
                p.ratio(),
                w.others(),
                overLimit(p.ratio(), p.limit()));
        return p;
    }

    private static Point sampling(DecoderLm lm, Options o, double peak, PrintWriter out) throws ModelException {
        int[] prompt = prompt(lm, o.promptTokens());
        List<Sampler> samplers = new ArrayList<>();
        int[] limits = new int[o.samples()];
        Arrays.fill(limits, o.newTokens() / 2);
        for (int i = 0; i < o.samples(); i++) {
            samplers.add(new Sampler(1.0, 50, 0.95, i));
        }
        int[] made = new int[1];
        Window w = timed(
                o,
                () -> made[0] = Arrays.stream(lm.sampleBatch(prompt, samplers, limits))
                        .mapToInt(a -> a.length)
                        .sum());
        double tokens = made[0] * w.perSecond();
        double gflops = tokens
                * 2
                * (matmulParams(lm.config())
                        + (double) lm.config().hidden() * lm.config().vocab())
                / 1e9;
        Point p = new Point(
                "sampling " + o.samples() + " samples of one prompt as one batch (T 1, top-k 50, " + "top-p 0.95)",
                tokens,
                "new tokens/s",
                gflops,
                gflops / peak,
                "FP32 peak",
                w.others());
        out.printf(
                "%s: %.1f new tokens/s (CPU %.2f ms/token), %.1f GFLOP/s = %.2f of peak (other processes %.2f"
                        + " cores)%s%n",
                p.what(),
                tokens,
                1000 * w.cpuPerRun() / made[0],
                gflops,
                p.ratio(),
                w.others(),
                overLimit(p.ratio(), p.limit()));
        return p;
    }

    /** A prompt of random non-EOS ids (greedy on random weights rarely stops early; the count is measured). */
    private static int[] prompt(DecoderLm lm, int length) {
        return new SplittableRandom(2)
                .ints(length * 2L, 0, lm.config().vocab())
                .filter(id -> !lm.config().isEos(id))
                .limit(length)
                .toArray();
    }

    private interface Work {
        void run() throws ModelException;
    }

    /**
     * Runs per second of the median window, the other processes' cores during it, and this process's CPU seconds
     * per run in it (all threads): steadier than wall time on a shared machine, where a window waits for cores.
     */
    private record Window(double perSecond, double others, double cpuPerRun) {}

    private static Window timed(Options o, Work work) throws ModelException {
        double[] rates = new double[o.windows()];
        double[] others = new double[o.windows()];
        double[] cpu = new double[o.windows()];
        int retries = 0;
        for (int i = 0; i < o.windows(); i++) {
            CpuMeter meter = CpuMeter.start();
            long t0 = System.nanoTime();
            int n = 0;
            do {
                work.run();
                n++;
            } while (System.nanoTime() - t0 < o.seconds() * 1e9);
            rates[i] = n / ((System.nanoTime() - t0) / 1e9);
            others[i] = meter.othersCores();
            cpu[i] = meter.ownCpuSeconds() / n;
            if (others[i] > o.maxOthers() && retries < 5) {
                retries++;
                i--;
            }
        }
        int mid = median(rates);
        return new Window(rates[mid], others[mid], cpu[mid]);
    }

    private static int median(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        return idx[idx.length / 2];
    }
}
