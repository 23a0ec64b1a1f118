package org.unmask.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.report.browser.HeadlessChrome;
import org.unmask.server.ServerOptions;
import org.unmask.server.UnmaskServer;
import org.unmask.server.jobs.AuditJob;
import org.unmask.server.testing.FakeMaskedLm;

/**
 * The audit job started from the explorer page and its report opened in Chromium: the report's inline style
 * and filter script must run under the server's hash-based policy, with no console errors. Uses the scripted
 * fake model (the report's layout, not the numbers, is under test).
 */
class ReportBrowserTest {
    @TempDir
    Path runs;

    @Test
    void auditStartedFromThePageOpensAsAWorkingReport() throws Exception {
        Assumptions.assumeTrue(HeadlessChrome.findBinary().isPresent(), "no chromium installed");
        try (UnmaskServer server = UnmaskServer.start(
                        FakeMaskedLm.create(0, 0), List.of(AuditJob.defaultSuite()), ServerOptions.local(runs));
                HeadlessChrome chrome = HeadlessChrome.launch();
                HeadlessChrome.Page page = chrome.open("http://127.0.0.1:" + server.port() + "/")) {
            ExplorerBrowserTest.waitFor(page, "document.querySelector('#suites button') !== null", 20);
            page.click("#suites button");
            ExplorerBrowserTest.waitFor(page, "document.querySelector('#job-status a') !== null", 120);
            String href = page.evaluate("document.querySelector('#job-status a').href")
                    .asText();
            assertTrue(href.endsWith("/report.html"), href);
            assertEquals(List.of(), page.problems());

            page.navigate(href);
            // the inline stylesheet applied (body font) and the inline filter script runs
            assertTrue(
                    page.evaluate("getComputedStyle(document.body).backgroundColor")
                            .asText()
                            .equals("rgb(250, 250, 250)"),
                    "inline <style> blocked");
            ExplorerBrowserTest.save(page, "report.png", "h1");
            // the inline filter script is attached: filtering hides the rows that do not match
            String filter = "(() => { const box = document.querySelector('input.filter'); box.value = 'nurse';"
                    + " box.dispatchEvent(new Event('input')); return box.dataset.shown; })()";
            if (page.evaluate("document.querySelector('input.filter') !== null").asBoolean()) {
                assertTrue(page.evaluate(filter).isTextual(), "inline <script> blocked: " + page.problems());
            }
            assertEquals(List.of(), page.problems(), "console errors, exceptions or failed requests");
        }
    }
}
