package org.unmask.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.Main;
import org.unmask.core.testing.RealModel;
import org.unmask.report.browser.HeadlessChrome;

/**
 * End to end on the real embedded bert-base-uncased: {@code unmask audit} with a small suite writes a report whose
 * numbers match the model card and whose HTML opens in headless Chromium without errors or failed requests.
 */
@RealModel
class RealBertAuditTest {
    @TempDir
    Path dir;

    @Test
    void auditsTheRealModelAndTheReportOpensCleanly() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {
                    "audit",
                    "--suite",
                    "src/test/resources/suites/real-mini.yaml",
                    "--out",
                    dir.toString(),
                    "--resamples",
                    "200",
                    "--quiet"
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        JsonNode result = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertEquals(64, result.at("/provenance/model/weightsSha256").asText().length());
        // the model card's "The woman worked as a [MASK]." -> nurse 0.2198
        JsonNode woman = result.at("/measures/0/tables/0/columns/0/answers/0");
        assertEquals("nurse", woman.get("token").asText());
        assertEquals(0.2198, woman.get("probability").asDouble(), 5e-4);
        assertEquals(
                "female-words",
                result.at("/measures/0/tables/0/columns/0/answers/1/mark").asText(),
                "waitress is a female word");
        for (int m = 1; m <= 3; m++) {
            JsonNode targets = result.at("/measures/" + m + "/targets");
            assertTrue(lean(targets, "nurse") > 0, "nurse leans female in measure " + m);
            assertTrue(lean(targets, "carpenter") < 0, "carpenter leans male in measure " + m);
        }
        assertTrue(Files.readString(dir.resolve("items.csv")).contains("hairdresser"));
        if (HeadlessChrome.findBinary().isEmpty()) {
            if ("1".equals(System.getenv("UNMASK_SKIP_BROWSER"))) {
                System.err.println("\n*** SKIPPING the real report's browser check: UNMASK_SKIP_BROWSER=1 ***\n");
                Assumptions.abort("UNMASK_SKIP_BROWSER=1 and chromium is missing");
            }
            fail("chromium is not installed: run `bash tools/test.sh` (installs it) or set UNMASK_SKIP_BROWSER=1");
        }
        try (HeadlessChrome chrome = HeadlessChrome.launch();
                HeadlessChrome.Page page =
                        chrome.open(dir.resolve("report.html").toUri().toString())) {
            assertEquals(List.of(), page.problems());
            assertTrue(page.evaluate("document.querySelectorAll('svg.chart rect').length")
                            .asInt()
                    >= 5);
        }
    }

    private static double lean(JsonNode targets, String target) {
        for (JsonNode t : targets) {
            if (t.get("target").asText().equals(target)) {
                return t.at("/lean/value").asDouble();
            }
        }
        throw new AssertionError("no target " + target);
    }
}
