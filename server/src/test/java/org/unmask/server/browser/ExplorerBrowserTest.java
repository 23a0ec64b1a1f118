package org.unmask.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.ModelLoader;
import org.unmask.server.ServerOptions;
import org.unmask.server.UnmaskServer;
import org.unmask.server.jobs.OccupationAssociationJob;

/**
 * End to end: the explorer page in headless Chromium against the real embedded BERT. Types a template,
 * submits it with the keyboard, checks both columns, the association table and inert markup, saves a
 * screenshot to {@code target/e2e/}, and fails on any console error or failed request. Skipped only when
 * no Chromium is installed (CI installs Debian's {@code chromium}).
 */
class ExplorerBrowserTest {
    @TempDir
    static Path runs;

    static LanguageModel model;
    static UnmaskServer server;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(CdpBrowser.findChromium().isPresent(), "no chromium on the PATH");
        model = ModelLoader.load(null);
        server = UnmaskServer.start(model, List.of(new OccupationAssociationJob()), ServerOptions.local(runs));
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
        List<String> problems = new CopyOnWriteArrayList<>();
        try (CdpBrowser b = CdpBrowser.launch(CdpBrowser.findChromium().orElseThrow(), 1366, 900)) {
            b.onEvent(e -> problem(e).ifPresent(problems::add));
            for (String domain : List.of("Page", "Runtime", "Network", "Log")) {
                b.send(domain + ".enable", Map.of());
            }
            b.send("Page.navigate", Map.of("url", "http://127.0.0.1:" + server.port() + "/"));
            b.waitFor("document.readyState === 'complete' && document.querySelector('#suites button') !== null",
                    Duration.ofSeconds(20));

            // type the template with the keyboard and submit with Enter
            b.eval("(() => { const t = document.getElementById('template'); t.focus(); t.select(); return true; })()");
            b.send("Input.insertText", Map.of("text", "[He|She] worked as a [MASK] at the hospital."));
            b.pressKey("Enter", "Enter", 13, "\r");
            b.waitFor("document.querySelectorAll('#columns .column').length === 2", Duration.ofSeconds(60),
                    "document.getElementById('status').textContent");

            JsonNode cols = b.eval("[...document.querySelectorAll('#columns .column')].map(c => ({"
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
            b.waitFor("document.querySelectorAll('#association tbody tr').length === 81", Duration.ofSeconds(120),
                    "document.getElementById('status').textContent");
            Path shots = Path.of("target", "e2e");
            b.screenshot(shots.resolve("explorer.png"));
            assertTrue(Files.size(shots.resolve("explorer.png")) > 10_000);

            // markup typed into the template is shown as text, never parsed
            String evil = "<img src=x onerror=\"window.__pwned=1\"> [man|woman] is a [MASK] <b>bold</b>";
            b.eval("(() => { const t = document.getElementById('template'); t.focus(); t.select(); return true; })()");
            b.send("Input.insertText", Map.of("text", evil));
            b.pressKey("Enter", "Enter", 13, "\r");
            b.waitFor("[...document.querySelectorAll('#columns .sentence')].some(s => s.textContent.includes('<b>'))",
                    Duration.ofSeconds(60));
            assertEquals(0, b.eval("document.querySelectorAll('#columns img, #columns b').length").asInt());
            assertTrue(b.eval("window.__pwned === undefined").asBoolean());
            b.waitFor("document.querySelectorAll('#association tbody tr').length === 81", Duration.ofSeconds(120),
                    "document.getElementById('status').textContent");
            b.screenshot(shots.resolve("explorer-markup.png"));
        }
        assertEquals(List.of(), problems, "console errors or failed requests");
    }

    /** A console error, uncaught exception, failed load or HTTP error status, described in one line. */
    private static java.util.Optional<String> problem(JsonNode e) {
        String method = e.path("method").asText();
        JsonNode p = e.path("params");
        switch (method) {
            case "Runtime.exceptionThrown":
                return java.util.Optional.of("exception: " + p.path("exceptionDetails"));
            case "Runtime.consoleAPICalled":
                return "error".equals(p.path("type").asText())
                        ? java.util.Optional.of("console.error: " + p.path("args")) : java.util.Optional.empty();
            case "Log.entryAdded":
                return "error".equals(p.path("entry").path("level").asText())
                        ? java.util.Optional.of("log: " + p.path("entry").path("text").asText())
                        : java.util.Optional.empty();
            case "Network.loadingFailed":
                return java.util.Optional.of("request failed: " + p.path("errorText").asText());
            case "Network.responseReceived":
                int status = p.path("response").path("status").asInt();
                return status >= 400 ? java.util.Optional.of("HTTP " + status + " " + p.path("response").path("url"))
                        : java.util.Optional.empty();
            default:
                return java.util.Optional.empty();
        }
    }
}
