package org.unmask.cli.mitigate;

import java.io.PrintWriter;
import java.util.Locale;
import org.unmask.models.djl.train.Trainer;

/**
 * A one-line training progress bar (step, epoch, loss, learning rate, gradient norm, tokens/s, ETA), redrawn in
 * place on a terminal and printed as plain lines otherwise (CI logs).
 */
final class TrainingProgress {
    private static final int WIDTH = 24;
    private final PrintWriter err;
    private final int epochs;
    private final boolean terminal;
    private long firstStep = -1;
    private long startNanos;

    TrainingProgress(PrintWriter err, int epochs, boolean terminal) {
        this.err = err;
        this.epochs = epochs;
        this.terminal = terminal;
    }

    void update(Trainer.Progress p) {
        if (firstStep < 0) {
            firstStep = p.step() - 1;
            startNanos = System.nanoTime();
        }
        double secs = (System.nanoTime() - startNanos) / 1e9;
        long done = p.step() - firstStep;
        double eta = done > 0 ? secs / done * (p.totalSteps() - p.step()) : 0;
        int filled = (int) (WIDTH * p.step() / Math.max(1, p.totalSteps()));
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String line = String.format(
                Locale.ROOT,
                "step %d/%d epoch %d/%d [%s] loss %.4f lr %.2e |g| %.3f %.0f tok/s eta %s",
                p.step(),
                p.totalSteps(),
                p.epoch(),
                epochs,
                bar,
                p.loss(),
                p.learningRate(),
                p.gradNorm(),
                p.tokensPerSecond(),
                duration(eta));
        if (terminal) {
            err.print("\r" + line + "   ");
            if (p.step() == p.totalSteps()) {
                err.println();
            }
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
