package org.unmask.models.djl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.models.djl.Scalars;

/**
 * The training loop for every architecture and objective (fine-tuning and pretraining): seeded data order, a
 * {@link BatchMaker} (masked-LM corruption or next-token labels), forward/backward on libtorch autograd through a
 * {@link TrainableModel}, gradient accumulation, global-norm clipping ({@link GradientClipping}), {@link AdamW}
 * with two parameter groups, {@link LinearSchedule}, periodic atomic {@link Checkpoints} and resume.
 *
 * <p>Determinism: the epoch order, each micro-batch's masks and its dropout masks (libtorch's generator, reseeded
 * before each micro-batch) are functions of (seed, epoch, micro-batch) only, so the same seed gives the same
 * weights and a run resumed from a checkpoint ends with the same weights as an uninterrupted one.
 */
public final class Trainer {
    private final TrainConfig cfg;
    private final BatchMaker batchMaker;
    private final Checkpoints checkpoints;
    private final String fingerprint;

    /**
     * @param fingerprint hash of settings + data + parent model; a checkpoint with another one is not resumed
     */
    public Trainer(TrainConfig cfg, BatchMaker batches, Checkpoints checkpoints, String fingerprint) {
        this.cfg = cfg;
        this.batchMaker = batches;
        this.checkpoints = checkpoints;
        this.fingerprint = fingerprint;
    }

    /** Progress after one optimizer step. */
    public record Progress(
            long step,
            long totalSteps,
            int epoch,
            double loss,
            double learningRate,
            double gradNorm,
            long tokensSeen,
            double tokensPerSecond) {}

    /** Receives progress; may ask to stop after the current step (the run then checkpoints and returns). */
    public interface Listener {
        void onStep(Progress p);

        default boolean stopRequested() {
            return false;
        }
    }

    /**
     * What the run did.
     *
     * @param steps optimizer steps completed in total
     * @param resumedFrom the step a checkpoint was resumed from (0 when fresh)
     * @param losses mean loss per optimizer step
     * @param tokensSeen real tokens consumed
     * @param finished whether every step ran (false when stopped early)
     * @param skippedMicroBatches micro-batches without any labelled token (no loss, skipped)
     */
    public record Result(
            long steps,
            long resumedFrom,
            List<Double> losses,
            long tokensSeen,
            boolean finished,
            long skippedMicroBatches) {}

    /** Optimizer steps per epoch for {@code n} sequences. */
    public long stepsPerEpoch(int n) {
        long micro = (n + (long) cfg.batchSize() - 1) / cfg.batchSize();
        return (micro + cfg.accumulation() - 1) / cfg.accumulation();
    }

    /** Trains {@code model} on tokenised {@code sequences} (special tokens included). */
    public Result train(TrainableModel model, List<int[]> sequences, NDManager manager, Listener listener)
            throws InvalidInputException, ModelException, IOException {
        if (sequences.isEmpty()) {
            throw new InvalidInputException("no training sequences", "the data file holds no usable text");
        }
        int n = sequences.size();
        long perEpoch = stepsPerEpoch(n);
        long total = perEpoch * cfg.epochs();
        LinearSchedule schedule = new LinearSchedule(cfg.learningRate(), Math.round(cfg.warmupRatio() * total), total);
        AdamW opt = new AdamW(
                manager, cfg.adamBeta1(), cfg.adamBeta2(), cfg.adamEpsilon(), cfg.weightDecay(), model::noDecay);
        List<Double> losses = new ArrayList<>();
        long tokens = 0;
        long start = 0;
        Optional<Path> latest = checkpoints.latest();
        if (latest.isPresent()) {
            Checkpoints.State st = Checkpoints.readState(latest.get());
            if (!st.settingsFingerprint().equals(fingerprint)) {
                throw new InvalidInputException(
                        "checkpoint " + latest.get() + " belongs to a run with other settings,"
                                + " data or parent model",
                        "use a new --out folder, or rerun with the original settings");
            }
            JniUtils.setGradMode(false);
            Checkpoints.restore(latest.get(), model, opt, manager);
            start = st.step();
            losses.addAll(st.losses());
            tokens = st.tokensSeen();
        }
        long resumedFrom = start;
        long skipped = 0;
        long t0 = System.nanoTime();
        long tokensAtStart = tokens;
        for (long step = start; step < total; step++) {
            int epoch = (int) (step / perEpoch);
            long inEpoch = step % perEpoch;
            int[] order = order(n, epoch);
            int firstMicro = (int) (inEpoch * cfg.accumulation());
            int micros = Math.min(cfg.accumulation(), ((n + cfg.batchSize() - 1) / cfg.batchSize()) - firstMicro);
            double lossSum = 0;
            int used = 0;
            List<MaskedBatch> batches = new ArrayList<>();
            for (int j = 0; j < micros; j++) {
                int micro = firstMicro + j;
                List<int[]> rows = new ArrayList<>();
                for (int i = micro * cfg.batchSize(); i < Math.min(n, (micro + 1) * cfg.batchSize()); i++) {
                    rows.add(sequences.get(order[i]));
                }
                MaskedBatch b = batchMaker.make(rows, new SplittableRandom(Seeds.derive(cfg.seed(), epoch, micro, 1)));
                tokens += b.realTokens();
                if (b.labelledCount() == 0) {
                    skipped++;
                    continue;
                }
                batches.add(b);
            }
            for (int j = 0; j < batches.size(); j++) {
                MaskedBatch b = batches.get(j);
                JniUtils.setSeed(Seeds.derive(cfg.seed(), epoch, firstMicro + j, 2));
                try (NDManager scope = manager.newSubManager();
                        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray loss = model.loss(scope, b, true);
                    if (!Float.isFinite(loss.getFloat())) {
                        throw new ModelException(
                                "the loss became " + loss.getFloat() + " at step " + (step + 1),
                                "lower --lr or --max-grad-norm; training diverged");
                    }
                    lossSum += loss.getFloat();
                    gc.backward(Scalars.div(loss, batches.size()));
                }
                used++;
            }
            double lr = schedule.rate(step);
            double norm = 0;
            JniUtils.setGradMode(false);
            if (used > 0) {
                java.util.Map<String, NDArray> withGrad = withGradients(model);
                norm = GradientClipping.clip(withGrad.values(), cfg.maxGradNorm());
                opt.update(withGrad, lr);
                for (NDArray p : withGrad.values()) {
                    JniUtils.zeroGrad((PtNDArray) p);
                }
            }
            double loss = used == 0 ? Double.NaN : lossSum / used;
            losses.add(loss);
            double secs = (System.nanoTime() - t0) / 1e9;
            listener.onStep(new Progress(
                    step + 1,
                    total,
                    epoch + 1,
                    loss,
                    lr,
                    norm,
                    tokens,
                    secs > 0 ? (tokens - tokensAtStart) / secs : 0));
            boolean last = step + 1 == total;
            boolean stop = listener.stopRequested();
            if (last || stop || (step + 1) % cfg.checkpointEvery() == 0) {
                checkpoints.save(model, opt, new Checkpoints.State(step + 1, fingerprint, losses, tokens));
            }
            if (stop && !last) {
                return new Result(step + 1, resumedFrom, losses, tokens, false, skipped);
            }
        }
        return new Result(total, resumedFrom, losses, tokens, true, skipped);
    }

    private static java.util.Map<String, NDArray> withGradients(TrainableModel model) {
        java.util.Map<String, NDArray> out = new java.util.LinkedHashMap<>();
        model.trainable().forEach((name, p) -> {
            if (p.hasGradient()) {
                out.put(name, p);
            }
        });
        return out;
    }

    /** The data order of an epoch: a Fisher–Yates shuffle seeded by (seed, epoch). */
    int[] order(int n, int epoch) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        SplittableRandom r = new SplittableRandom(Seeds.derive(cfg.seed(), epoch, 0, 0));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }
}
