package org.unmask.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.error.UnmaskException;
import org.unmask.mitigation.experiment.LabSpec;

/**
 * The one place the pretraining lab trains a model from scratch: {@link PretrainingLab} calls nothing else of
 * pretraining, so only this adapter follows the pretraining API. An implementation must be deterministic for a seed
 * (the lab's rerun is bit-identical), resumable (an unfinished {@code out} is continued) and write a model folder that
 * {@link ModelOpener} opens.
 */
public interface LabPretrainer {
    /**
     * One model to pretrain.
     *
     * @param corpus the training corpus (a folder of JSON Lines documents)
     * @param settings the lab file's pretraining settings
     * @param seed the seed
     * @param out the model folder (new, or this same run unfinished)
     */
    record Request(Path corpus, LabSpec.Pretrain settings, long seed, Path out) {}

    /** Trains (or resumes) the model of {@code request} into its {@code out}; progress lines go to {@code log}. */
    void pretrain(Request request, PrintWriter log) throws UnmaskException;

    /** Whether this build can pretrain {@code arch} ({@code masked}, {@code causal}). */
    boolean supports(String arch);

    /**
     * The mean next-token loss per token of a causal {@code model} on blocks of {@code heldOut} (the lab's held-out
     * documents, which no model trained on), the same blocks for every model: the lab's cost measure for causal
     * models.
     */
    default double heldOutLoss(Path model, Path heldOut, LabSpec.Pretrain settings) throws UnmaskException {
        throw new ModelException("this build cannot score the held-out loss of " + model, "use `arch: masked`");
    }

    /**
     * Refuses settings this pretrainer cannot run (an unknown configuration name), before any step runs.
     *
     * @param where the lab file, for the message
     */
    default void check(LabSpec.Pretrain settings, Path where) throws UnmaskException {}

    /**
     * Everything the settings resolve to (a named configuration's every hyper-parameter), for the lab's step keys:
     * when a configuration's definition changes, its models are retrained, never reused.
     */
    default String fingerprint(LabSpec.Pretrain settings) throws UnmaskException {
        return settings.toString();
    }

    /**
     * The pretrainer of this build: {@link Pretraining#run} with a named configuration ({@link PretrainSpec#preset}:
     * {@code toy} or {@code lab}), the lab's seed and, when the lab file sets them, its steps. {@code arch: causal}
     * trains the causal architecture of the same size class ({@code gpt2-toy} for toy, {@code gpt2-small-lab} for
     * lab); masked runs keep their preset's architecture (and so their step keys).
     */
    LabPretrainer DEFAULT = new LabPretrainer() {
        @Override
        public void pretrain(Request r, PrintWriter log) throws UnmaskException {
            PretrainSpec spec = spec(r.settings(), r.corpus(), r.out(), r.seed());
            long[] last = {-1};
            Pretraining.Outcome o = Pretraining.run(spec, new Pretraining.Listener() {
                @Override
                public void onStep(Pretraining.Step s) {
                    long decile = s.step() * 10 / Math.max(1, s.totalSteps());
                    if (decile != last[0]) {
                        last[0] = decile;
                        log.printf(
                                Locale.ROOT,
                                "    step %d/%d loss %.3f, %.0f tokens/s%n",
                                s.step(),
                                s.totalSteps(),
                                s.loss(),
                                s.tokensPerSecond());
                        log.flush();
                    }
                }
            });
            if (!o.finished()) {
                throw new ModelException(
                        "pretraining of " + r.out() + " stopped after step " + o.steps(),
                        "run the experiment again: it resumes from the last checkpoint");
            }
            log.printf(
                    Locale.ROOT,
                    "    pretrained %s: %d steps, %d tokens, %.0f tokens/s%n",
                    r.out().getFileName(),
                    o.steps(),
                    o.tokensSeen(),
                    o.tokensPerSecond());
        }

        @Override
        public boolean supports(String arch) {
            return "masked".equals(arch) || "causal".equals(arch);
        }

        @Override
        public double heldOutLoss(Path model, Path heldOut, LabSpec.Pretrain settings) throws UnmaskException {
            return Pretraining.textLoss(model, spec(settings, heldOut, model, 0));
        }

        @Override
        public void check(LabSpec.Pretrain settings, Path where) throws UnmaskException {
            try {
                spec(settings, where, where, 0);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(
                        where + ": pretrain.config " + settings.config() + " is not a pretraining configuration",
                        "use config: toy (CI-sized) or config: lab (about 15 minutes per model on 2 cores)");
            }
        }

        @Override
        public String fingerprint(LabSpec.Pretrain settings) throws UnmaskException {
            Path none = Path.of("corpus-and-out-are-keyed-by-the-lab");
            return settings.arch() + " " + spec(settings, none, none, 0);
        }

        private PretrainSpec spec(LabSpec.Pretrain s, Path corpus, Path out, long seed) throws InvalidInputException {
            PretrainSpec spec = PretrainSpec.preset(s.config(), corpus, out, seed);
            if ("causal".equals(s.arch())) {
                spec = spec.withArch(s.config().equalsIgnoreCase("toy") ? "gpt2-toy" : "gpt2-small-lab");
            }
            return s.steps() > 0 ? spec.withSteps(s.steps()) : spec;
        }
    };
}
