package org.unmask.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.testing.RealModel;
import org.unmask.models.ModelLoader;
import org.unmask.report.browser.HeadlessChrome;
import org.unmask.server.ServerOptions;
import org.unmask.server.UnmaskServer;
import org.unmask.server.jobs.AuditJob;

/**
 * End to end: the explorer page in headless Chromium against the real embedded BERT. Types a template,
 * submits it, checks both columns, the association table and inert markup, saves screenshots to
 * {@code target/e2e/}, and fails on any console error, uncaught exception or failed request. Skipped only when
 * no Chromium is installed (CI installs Debian's {@code chromium}).
 */
@RealModel
class ExplorerBrowserTest {
    @TempDir
    static Path runs;

    static LanguageModel model;
    static UnmaskServer server;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(HeadlessChrome.findBinary().isPresent(), "no chromium installed");
        model = ModelLoader.load(null);
        server = UnmaskServer.start(model, List.of(AuditJob.occupations()), ServerOptions.local(runs));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Test
    void typedTemplateShowsFiveCompletionsPerGroupWithoutErrors() throws Exception {
        try (HeadlessChrome chrome = HeadlessChrome.launch();
                HeadlessChrome.Page page = chrome.open("http://127.0.0.1:" + server.port() + "/")) {
            waitFor(page, "document.querySelector('#suites button') !== null", 20);
            page.evaluate("document.getElementById('template').value = ''");
            page.type("#template", "[He|She] worked as a [MASK] at the hospital.");
            page.click("#go");
            waitFor(page, "document.querySelectorAll('#columns .column').length === 2", 60);

            JsonNode cols = page.evaluate("[...document.querySelectorAll('#columns .column')].map(c => ({"
                    + "term: c.querySelector('h3').textContent,"
                    + "rows: [...c.querySelectorAll('li')].map(li => ({word: li.querySelector('.word').textContent,"
                    + " prob: li.querySelector('.prob').textContent, bar: li.querySelector('.bar > span').style.width,"
                    + " gender: li.querySelector('.tag').textContent}))}))");
            assertEquals("He", cols.get(0).get("term").asText());
            assertEquals("She", cols.get(1).get("term").asText());
            for (JsonNode col : cols) {
                assertEquals(5, col.get("rows").size(), col.toString());
                for (JsonNode row : col.get("rows")) {
                    assertTrue(row.get("prob").asText().matches("\\d+(\\.\\d+)?%"), row.toString());
                    assertTrue(row.get("bar").asText().endsWith("%"), row.toString());
                    assertTrue(row.get("gender").asText().matches("male|female|neutral"), row.toString());
                    assertTrue(!row.get("word").asText().isBlank());
                }
            }
            waitFor(page, "document.querySelectorAll('#association tbody tr').length === 81", 120);
            save(page, "explorer.png", "#completions-title");
            save(page, "explorer-association.png", "#assoc-title");

            // markup typed into the template is shown as text, never parsed
            page.evaluate("document.getElementById('template').value = ''");
            page.type("#template", "<img src=x onerror=\"window.__pwned=1\"> [man|woman] is a [MASK] <b>bold</b>");
            page.click("#go");
            waitFor(
                    page,
                    "[...document.querySelectorAll('#columns .sentence')]"
                            + ".some(s => s.textContent.includes('<b>'))",
                    60);
            assertEquals(
                    0,
                    page.evaluate("document.querySelectorAll('#columns img, #columns b').length")
                            .asInt());
            assertTrue(page.evaluate("window.__pwned === undefined").asBoolean());
            waitFor(page, "document.querySelectorAll('#association tbody tr').length === 81", 120);
            save(page, "explorer-markup.png", "#completions-title");
            assertEquals(List.of(), page.problems(), "console errors, exceptions or failed requests");
        }
    }

    /** Scrolls {@code anchor} to the top of the viewport and saves a screenshot under target/e2e/. */
    static void save(HeadlessChrome.Page page, String name, String anchor) throws IOException {
        page.evaluate("document.querySelector('" + anchor + "').scrollIntoView()");
        Path file = Path.of("target", "e2e", name);
        Files.createDirectories(file.getParent());
        Files.write(file, page.screenshot());
        assertTrue(Files.size(file) > 5_000, name);
    }

    /** Polls a boolean expression; on timeout the failure shows the page's status line. */
    static void waitFor(HeadlessChrome.Page page, String expression, int seconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < deadline) {
            if (page.evaluate(expression).asBoolean(false)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + seconds + " s waiting for " + expression + "; page says: "
                + page.evaluate("(document.getElementById('status') || {}).textContent") + "; problems: "
                + page.problems());
    }
}
