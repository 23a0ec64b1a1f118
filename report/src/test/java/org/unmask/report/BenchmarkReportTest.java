package org.unmask.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.Provenance;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.Skipped;
import org.unmask.report.browser.HeadlessChrome;

class BenchmarkReportTest {
    private static final String HOSTILE = "<script>window.__xss=1</script>";

    static BenchmarkResult result() {
        Provenance p = new Provenance(
                "bert-base-uncased",
                "BertForMaskedLM",
                "ab".repeat(32),
                "cd".repeat(32),
                "onnxruntime",
                "1.0",
                "test",
                Map.of("data.csv", "ef".repeat(32)),
                "CC BY-NC 4.0",
                true,
                42,
                "0.1.0",
                "17");
        List<MetricValue> metrics = List.of(
                new MetricValue("crows-pairs/pll-unmodified", "overall", 60.5, 100, 55.0, 66.0, 50.0, Map.of()),
                new MetricValue("crows-pairs/pll-unmodified", HOSTILE, 40.0, 10, 20.0, 70.0, 50.0, Map.of()),
                new MetricValue("seat/effect-size", "sent-weat6", 0.93, 16, Double.NaN, Double.NaN, 0.0, Map.of()));
        Skipped.Report skipped = new Skipped.Report(
                2, Map.of("no changed token", 2L), Map.of("no changed token", List.of("row 7", "row 9")));
        return new BenchmarkResult(
                "crows-pairs",
                "CrowS-Pairs " + HOSTILE,
                RunOptions.defaults(),
                metrics,
                skipped,
                List.of("a note " + HOSTILE),
                p,
                new BenchmarkResult.Timing(1.5, 0, 0, 0, 0, 0, 0, 0, 0, 1),
                List.of());
    }

    @Test
    void rendersEveryMetricWithIntervalsIdealAndEscapedText() {
        String html = BenchmarkReport.render(result());
        assertFalse(html.contains(HOSTILE), "user and data strings are escaped");
        assertTrue(html.contains("&lt;script&gt;"));
        assertTrue(html.contains("<code>crows-pairs/pll-unmodified</code>"));
        assertTrue(html.contains("<code>seat/effect-size</code>"));
        assertTrue(html.contains("55.00 … 66.00"), "the interval is printed");
        assertTrue(html.contains("class=\"ci\""), "whiskers are drawn");
        assertTrue(html.contains("class=\"zero ideal\""), "the ideal is marked");
        assertTrue(html.contains("NON-COMMERCIAL"));
        assertTrue(html.contains("no changed token") && html.contains("row 7"), "skipped items are listed");
    }

    @Test
    void opensOfflineInChromiumWithoutErrors(@TempDir Path dir) throws Exception {
        if (HeadlessChrome.findBinary().isEmpty()) {
            if ("1".equals(System.getenv("UNMASK_SKIP_BROWSER"))) {
                Assumptions.abort("UNMASK_SKIP_BROWSER=1 and chromium is missing");
            }
            fail("chromium is not installed: run `apt-get install -y chromium` (tools/test.sh does it)");
        }
        List<Path> files = BenchmarkReport.write(result(), dir);
        try (HeadlessChrome chrome = HeadlessChrome.launch();
                HeadlessChrome.Page page = chrome.open(files.get(1).toUri().toString())) {
            assertEquals(List.of(), page.problems());
            assertTrue(page.evaluate("window.__xss === undefined").asBoolean(), "injected script ran");
            assertEquals(
                    2,
                    page.evaluate("document.querySelectorAll('svg.chart').length")
                            .asInt());
        }
    }
}
