package org.unmask.models.perf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures how busy the machine was during a timed window: this process's CPU time against the
 * machine's busy time from {@code /proc/stat}, so benchmark windows disturbed by other work can be
 * reported (or retried) instead of silently averaged in.
 */
public final class CpuMeter {
    private final long wall0;
    private final long own0;
    private final long[] stat0;

    private CpuMeter() {
        wall0 = System.nanoTime();
        own0 = ownCpuNanos();
        stat0 = machineTicks();
    }

    public static CpuMeter start() {
        return new CpuMeter();
    }

    /**
     * Cores' worth of CPU used by other processes during the window (busy − own), 0 when unknown.
     */
    public double othersCores() {
        long[] stat1 = machineTicks();
        double wall = (System.nanoTime() - wall0) / 1e9;
        if (stat0 == null || stat1 == null || wall <= 0) {
            return 0;
        }
        double busySec = (stat1[0] - stat0[0]) / 100.0; // USER_HZ
        double ownSec = (ownCpuNanos() - own0) / 1e9;
        return Math.max(0, (busySec - ownSec) / wall);
    }

    /** Seconds of CPU this process used since {@link #start()} (all its threads; 0 when unknown). */
    public double ownCpuSeconds() {
        return (ownCpuNanos() - own0) / 1e9;
    }

    private static long ownCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    /** [busy ticks] over all CPUs, or null where /proc/stat is missing. */
    private static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return new long[] {busy};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
