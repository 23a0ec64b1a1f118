package org.unmask.app;

import java.io.PrintWriter;
import java.nio.file.Path;
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

    /** The pretrainer of this build: pretraining is not in it yet (issue 19 item 1), so every request says so. */
    LabPretrainer DEFAULT = new LabPretrainer() {
        @Override
        public void pretrain(Request request, PrintWriter log) throws UnmaskException {
            throw new ModelException(
                    "pretraining from scratch is not available in this build",
                    "build unmask with `unmask pretrain` (issue 19 item 1) to run a pretraining lab");
        }

        @Override
        public boolean supports(String arch) {
            return false;
        }
    };
}
