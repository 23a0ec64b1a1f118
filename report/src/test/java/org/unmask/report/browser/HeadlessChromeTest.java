package org.unmask.report.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker itself must see what goes wrong, or a clean report proves nothing. */
class HeadlessChromeTest {
    @Test
    void reportsConsoleErrorsExceptionsAndFailedRequests(@TempDir Path dir) throws Exception {
        // ReportInBrowserTest fails loudly when chromium is missing; this one only checks the checker
        assumeTrue(HeadlessChrome.findBinary().isPresent(), "chromium missing");
        Path page = dir.resolve("bad.html");
        Files.writeString(
                page,
                "<!DOCTYPE html><html><body><img src=\"missing.png\">"
                        + "<script>console.error('boom'); setTimeout(function(){ undefinedFunction(); }, 0);</script>"
                        + "</body></html>");
        try (HeadlessChrome chrome = HeadlessChrome.launch();
                HeadlessChrome.Page p = chrome.open(page.toUri().toString())) {
            p.evaluate("new Promise(function(r){ setTimeout(r, 200); })");
            assertFalse(p.consoleErrors().isEmpty());
            assertFalse(p.exceptions().isEmpty());
            assertFalse(p.failedRequests().isEmpty());
            assertEquals(2, p.evaluate("1 + 1").asInt());
        }
    }
}
