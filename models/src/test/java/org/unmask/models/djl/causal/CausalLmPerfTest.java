package org.unmask.models.djl.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.UnmaskException;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;

/**
 * The causal benchmark ({@code unmask perf causal}) on a small synthetic GPT-2: every point is measured and
 * related to the limit that binds it. Timings are not asserted (they belong in PERFORMANCE.md, measured on a
 * quiet machine with the full-size checkpoint); the test checks the plumbing and the accounting.
 */
class CausalLmPerfTest {
    @TempDir
    Path tmp;

    @Test
    void everyPointIsMeasuredAgainstItsLimit() throws IOException, UnmaskException {
        SyntheticGpt2.write(tmp, new SyntheticGpt2.Shape(300, 32, 2, 4, 64), 3);
        StringWriter text = new StringWriter();
        try (CausalLm lm = (CausalLm) ModelLoader.load("synthetic", tmp, Map.of(), Backend.TORCH)) {
            CausalPerf.Options o = new CausalPerf.Options(0.05, 1, new int[] {1, 4}, 6, 8, 3, 99);
            List<CausalPerf.Point> points = CausalPerf.run(
                    lm, o, new CausalPerf.Limits(100, 10, true, "test limits"), new PrintWriter(text, true));
            assertEquals(4, points.size(), text.toString());
            for (CausalPerf.Point p : points) {
                assertTrue(p.rate() > 0 && p.achieved() > 0, p.toString());
                assertEquals(p.achieved() / (p.limit().startsWith("memory") ? 10 : 100), p.ratio(), 1e-9);
            }
            assertTrue(text.toString().contains("of memory bandwidth"), text.toString());
        }
    }

    @Test
    void aRatioAboveOneSaysTheLimitWasMisMeasured() throws IOException, UnmaskException {
        // a limit measured far too low (as the 4 KiB-page bandwidth probe was) must not read as an achievement
        SyntheticGpt2.write(tmp, new SyntheticGpt2.Shape(300, 32, 2, 4, 64), 3);
        StringWriter text = new StringWriter();
        try (CausalLm lm = (CausalLm) ModelLoader.load("synthetic", tmp, Map.of(), Backend.TORCH)) {
            CausalPerf.Options o = new CausalPerf.Options(0.05, 1, new int[] {1}, 6, 4, 2, 99);
            CausalPerf.run(lm, o, new CausalPerf.Limits(1e-9, 1e-9, true, "a broken probe"), new PrintWriter(text));
        }
        String out = text.toString();
        assertTrue(out.contains("(a broken probe)"), "says how the limit was measured: " + out);
        assertTrue(out.contains("ABOVE THE MEASURED MEMORY READ BANDWIDTH"), out);
        assertTrue(out.contains("ABOVE THE MEASURED FP32 PEAK"), out);
        assertEquals("", CausalPerf.overLimit(0.99, "FP32 peak"));
    }

    @Test
    void matmulParametersOfGpt2SmallAre85Million() throws IOException, UnmaskException {
        // GPT-2 small: 12 layers x (4 d^2 + 8 d^2) with d = 768 = 84.9 M, the usual "85 M non-embedding"
        SyntheticGpt2.Shape s = SyntheticGpt2.Shape.GPT2_SMALL;
        double d = s.width();
        assertEquals(12 * 12 * d * d, 84_934_656, 0);
        SyntheticGpt2.write(tmp, new SyntheticGpt2.Shape(300, 32, 2, 4, 64), 3);
        try (CausalLm lm = (CausalLm) ModelLoader.load("synthetic", tmp, Map.of(), Backend.TORCH)) {
            assertEquals(2 * 12 * 32 * 32, CausalPerf.matmulParams(lm.config()), 0);
        }
    }
}
