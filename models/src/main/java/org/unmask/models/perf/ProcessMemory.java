package org.unmask.models.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's resident memory as Linux reports it in {@code /proc/self/status}: {@code VmHWM} (the peak resident
 * set, native memory and the Java heap alike, which is what a machine's RAM must hold) and {@code VmRSS}. Empty
 * where there is no procfs.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Peak resident set since the process started or since {@link #resetPeak}, in bytes. */
    public static OptionalLong peakBytes() {
        return field(STATUS, "VmHWM:");
    }

    /** Resident set now, in bytes. */
    public static OptionalLong currentBytes() {
        return field(STATUS, "VmRSS:");
    }

    /**
     * Resets the peak to the current resident set (Linux 4.0+: writing 5 to {@code /proc/self/clear_refs}), so a
     * phase's peak can be read on its own; returns whether it worked.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** The memory the kernel can still give processes without swapping ({@code MemAvailable}); empty when unknown. */
    public static OptionalLong availableBytes() {
        return field(Path.of("/proc/meminfo"), "MemAvailable:");
    }

    /** A {@code kB} field of a status file, in bytes. */
    static OptionalLong field(Path status, String name) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            // no procfs (not Linux) or an unexpected format: the caller reports "unknown"
        }
        return OptionalLong.empty();
    }
}
