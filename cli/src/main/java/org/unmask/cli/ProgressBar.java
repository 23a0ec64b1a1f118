package org.unmask.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.unmask.core.engine.ProgressListener;

/** A one-line progress bar on stderr, redrawn at most ten times a second. */
public final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final long started = System.nanoTime();
    private long lastDraw;
    private String lastUnit = "";
    private final boolean terminal;
    private long lastTenth = -1;

    /** @param terminal whether stderr is a terminal; if not (CI logs) one line per 10 % is printed instead */
    public ProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void progress(long done, long total, String unit) {
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (!terminal) {
            long tenth = total > 0 ? 10 * done / total : -1;
            if (!unit.equals(lastUnit) || tenth != lastTenth) {
                lastUnit = unit;
                lastTenth = tenth;
                err.printf(Locale.ROOT, "%d/%d %s  %.0f s%n", done, total, unit, (now - started) / 1e9);
                err.flush();
            }
            return;
        }
        if (!finished && unit.equals(lastUnit) && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        lastUnit = unit;
        double secs = (now - started) / 1e9;
        String line;
        if (total > 0) {
            int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
            line = String.format(
                    Locale.ROOT,
                    "\r[%s%s] %d/%d %s  %.0f s",
                    "#".repeat(filled),
                    ".".repeat(WIDTH - filled),
                    done,
                    total,
                    unit,
                    secs);
        } else {
            line = String.format(Locale.ROOT, "\r%d %s  %.0f s", done, unit, secs);
        }
        err.print(line);
        if (finished) {
            err.println();
        }
        err.flush();
    }
}
