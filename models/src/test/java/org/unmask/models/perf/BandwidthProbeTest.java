package org.unmask.models.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bandwidth probe reports a finite rate together with how it measured it (threads, size, the pages the array
 * got), so a reader can tell a machine's limit from a probe's artefact. The rate itself is not asserted.
 */
class BandwidthProbeTest {
    @Test
    void aReadingSaysHowItWasMeasured() {
        BandwidthProbe.Reading r = BandwidthProbe.measure(4 << 20, 2, 2); // 32 MB, small enough for a test heap
        assertTrue(Double.isFinite(r.gigabytesPerSecond()) && r.gigabytesPerSecond() > 0, r.toString());
        assertEquals(32, r.megabytes());
        assertTrue(
                Set.of("2 MiB transparent huge pages", "4 KiB pages", "unknown pages")
                        .contains(r.pages()),
                r.pages());
        assertTrue(r.describe().startsWith("Java loop, 2 threads summing 32 MB, best of 2 passes, "), r.describe());
    }

    @Test
    void theCLoopsLineIsReadWithItsPageSize() {
        BandwidthProbe.Reading r = BandwidthProbe.parseNative(
                        "read 28.41 GB/s, 2 threads, 512 MB, best of 8 passes, 2 MiB transparent huge pages (check 0)\n")
                .orElseThrow();
        assertEquals(28.41, r.gigabytesPerSecond(), 1e-9);
        assertTrue(r.hugePages());
        assertEquals("C loop, 2 threads summing 512 MB, best of 8 passes, 2 MiB transparent huge pages", r.describe());
        assertTrue(BandwidthProbe.parseNative("read 16.0 GB/s, 2 threads, 512 MB, best of 8 passes, 4 KiB pages (x")
                .orElseThrow()
                .describe()
                .contains("4 KiB pages (transparent huge pages: "));
        assertTrue(BandwidthProbe.parseNative("gcc: error").isEmpty());
        assertTrue(BandwidthProbe.parseNative("read 0.00 GB/s, 2 threads, 512 MB, best of 8 passes, 4 KiB pages (")
                .isEmpty());
    }

    @Test
    void theHugePageModeIsReadFromTheKernelSetting() {
        assertTrue(Set.of("always", "madvise", "never", "unavailable").contains(BandwidthProbe.thpMode()));
    }
}
