package org.unmask.models.djl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.djl.DropoutRates;
import org.unmask.models.djl.Weights;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.source.ModelResolver;
import org.unmask.models.source.ResolvedModel;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * Times full training steps (forward, backward, global-norm clip, AdamW update) of a real model at a fixed batch
 * shape, on windows of real text, and reports tokens/s and the achieved GFLOP/s with the convention
 * {@code training FLOPs ≈ 3 × forward FLOPs}, where the forward counts
 * {@code L · [2T(4H² + 2H·I) + 4T²H]} per sequence plus the MLM head {@code 2(H² + H·V)} per masked row.
 * Every step records how many cores other processes used meanwhile ({@code /proc/stat} busy minus this
 * process), because on a shared machine those steps are slower for reasons outside the code.
 */
public final class TrainPerf {
    private TrainPerf() {}

    /**
     * One timed step.
     *
     * @param forwardMs forward incl. loss
     * @param backwardMs backward
     * @param updateMs clipping + AdamW + zeroing
     * @param othersCores cores used by other processes during the step
     */
    public record Step(double forwardMs, double backwardMs, double updateMs, double othersCores) {
        public double totalMs() {
            return forwardMs + backwardMs + updateMs;
        }
    }

    /**
     * The measurement.
     *
     * @param model model id
     * @param batch sequences per step
     * @param length tokens per sequence
     * @param forwardGflop forward FLOPs of one step, in GFLOP
     * @param steps the timed steps
     */
    public record Result(String model, int batch, int length, double forwardGflop, List<Step> steps) {
        /** Median step time in ms. */
        public double medianMs() {
            double[] t = steps.stream().mapToDouble(Step::totalMs).sorted().toArray();
            return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
        }

        public double tokensPerSecond() {
            return batch * (double) length / (medianMs() / 1000);
        }

        /** 3 × forward FLOPs over the median step time. */
        public double gflops() {
            return 3 * forwardGflop / (medianMs() / 1000);
        }

        public Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("batch", batch);
            m.put("length", length);
            m.put("medianStepMs", medianMs());
            m.put("tokensPerSecond", tokensPerSecond());
            m.put("gflops", gflops());
            m.put("steps", steps);
            return m;
        }
    }

    /** Runs {@code warmup + steps} steps of batch × length windows cut from the text of {@code data}. */
    public static Result run(String modelRef, Path data, int batch, int length, int warmup, int steps)
            throws UnmaskException, IOException {
        ResolvedModel rm = new ModelResolver().resolve(modelRef);
        BertConfig bc = BertConfig.from(ModelConfig.read(rm.dir()));
        if (length > bc.maxPositions()) {
            throw new InvalidInputException("length " + length + " is more than the model's " + bc.maxPositions(), "");
        }
        List<int[]> rows = new ArrayList<>();
        MlmMasking masking;
        try (HfTokenizer tok = HfTokenizer.load(rm.dir(), bc.vocab())) {
            int[] ids = tok.encodeWithoutSpecials(Files.readString(data)).ids();
            int[] sp = tok.encode("").ids();
            int body = length - 2;
            if (ids.length < body * batch) {
                throw new InvalidInputException(
                        data + " has only " + ids.length + " tokens; need " + body * batch + " for one batch",
                        "give a longer text");
            }
            for (int b = 0; b < batch; b++) {
                int[] r = new int[length];
                r[0] = sp[0];
                System.arraycopy(ids, b * body, r, 1, body);
                r[length - 1] = sp[1];
                rows.add(r);
            }
            masking = new MlmMasking(0.15, tok.maskTokenId(), bc.padId(), bc.vocab(), Set.of(sp[0], sp[1], bc.padId()));
        }
        List<Step> timed = new ArrayList<>();
        double fwdGflop = 0;
        try (NDManager manager = DjlRuntime.newManager()) {
            TrainableBert model;
            try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(rm.dir())) {
                model = TrainableBert.of(manager, Weights.load(manager, ckpt), bc, DropoutRates.uniform(0.1f));
            }
            AdamW opt = new AdamW(manager, 0.9, 0.999, 1e-8, 0.01);
            for (int s = 0; s < warmup + steps; s++) {
                MaskedBatch b = masking.mask(rows, new SplittableRandom(s));
                fwdGflop = forwardFlops(bc, batch, length, b.labelledCount()) / 1e9;
                long busy0 = machineBusyTicks();
                long own0 = ownCpuNanos();
                long t0 = System.nanoTime();
                long t1;
                long t2;
                try (NDManager scope = manager.newSubManager();
                        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray loss = model.mlmLoss(scope, b, true);
                    loss.getFloat(); // forces the forward to finish before the clock is read
                    t1 = System.nanoTime();
                    gc.backward(loss);
                    t2 = System.nanoTime();
                }
                JniUtils.setGradMode(false);
                Map<String, NDArray> withGrad = new LinkedHashMap<>();
                model.trainable().forEach((k, p) -> {
                    if (p.hasGradient()) {
                        withGrad.put(k, p);
                    }
                });
                GradientClipping.clip(withGrad.values(), 1.0);
                opt.update(withGrad, 5e-5);
                for (NDArray p : withGrad.values()) {
                    JniUtils.zeroGrad((PtNDArray) p);
                }
                long t3 = System.nanoTime();
                double wall = (t3 - t0) / 1e9;
                double others =
                        Math.max(0, ((machineBusyTicks() - busy0) / 100.0 - (ownCpuNanos() - own0) / 1e9) / wall);
                if (s >= warmup) {
                    timed.add(new Step((t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, others));
                }
            }
        }
        return new Result(rm.id(), batch, length, fwdGflop, timed);
    }

    /** Forward FLOPs (multiply-add = 2) of the encoder on batch × length plus the MLM head on the masked rows. */
    static double forwardFlops(BertConfig c, int batch, int length, int maskedRows) {
        double h = c.hidden();
        double perSeq =
                c.layers() * (2.0 * length * (4 * h * h + 2 * h * c.intermediate()) + 4.0 * length * length * h);
        return batch * perSeq + maskedRows * 2.0 * (h * h + h * c.vocab());
    }

    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
