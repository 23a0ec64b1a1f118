package org.unmask.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TraceResult;
import org.unmask.core.result.TraceResult.Coefficient;
import org.unmask.core.result.TraceResult.Occupation;
import org.unmask.core.result.TraceResult.Point;
import org.unmask.core.result.TraceResult.Run;

/**
 * The trace outputs, now written by {@code report}: the committed files (written by {@code corpus}'s TraceReport
 * before the result contract) read into {@link TraceResult} and come out the same: trace.json byte for byte
 * (plus the codec's final newline), trace.csv and trace.html exactly.
 */
class TraceReportTest {
    @TempDir
    Path tmp;

    private static String old(String name) throws IOException {
        try (InputStream in = TraceReportTest.class.getResourceAsStream("trace/schema1-" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private TraceResult read(String name) throws Exception {
        return ResultCodec.readTrace(Files.writeString(tmp.resolve(name), old(name)));
    }

    @Test
    void theCommittedTraceJsonReadsAndWritesBackByteForByte() throws Exception {
        for (String name : new String[] {"trace.json", "trace-empty.json"}) {
            assertEquals(old(name) + "\n", ResultCodec.render(read(name)), name);
        }
        TraceResult r = read("trace.json");
        assertEquals(2, r.occupations().size());
        assertEquals(36, r.occupations().get(1).dataN());
        assertTrue(Double.isNaN(r.pearsonDataModel().ciLow()), "null reads as NaN");
        assertTrue(read("trace-empty.json").occupations().isEmpty(), "lists left out when empty read as empty");
    }

    @Test
    void csvAndHtmlFromTheRecordEqualTheOldOutputs() throws Exception {
        TraceResult r = read("trace.json");
        assertEquals(old("trace.csv"), TraceReport.csv(r));
        assertEquals(old("trace.html"), TraceReport.html(r));
        assertEquals(old("trace-empty.html"), TraceReport.html(read("trace-empty.json")));
    }

    @Test
    void writesTheThreeFilesThatReadBack() throws Exception {
        TraceResult r = read("trace.json");
        TraceReport.write(r, tmp.resolve("out"));
        assertEquals(r, ResultCodec.readTrace(tmp.resolve("out")));
        assertTrue(Files.readString(tmp.resolve("out/trace.html")).contains("<svg"));
        assertTrue(Files.readString(tmp.resolve("out/trace.csv")).contains("nurse,58.3333,36,88.0797"));
    }

    @Test
    void anOccupationNameIsEscapedInThePageQuotesIncluded() {
        Coefficient none = new Coefficient(Double.NaN, Double.NaN, Double.NaN, 0);
        TraceResult r = new TraceResult(
                TraceResult.SCHEMA,
                "s",
                "a",
                10,
                TraceResult.MODEL_PCT_FEMALE,
                TraceResult.DATA_PCT_FEMALE,
                none,
                none,
                none,
                none,
                0,
                0,
                Double.NaN,
                List.of(new Occupation("x\" onmouseover=\"alert(1)<b>", 50, 20, 50, 0, 50)),
                List.of(),
                List.of());
        String html = TraceReport.html(r);
        assertFalse(html.contains("\" onmouseover"), html);
        assertTrue(html.contains("x&quot; onmouseover=&quot;alert(1)&lt;b&gt;"), html);
    }

    @Test
    void aFileOfAnotherSchemaIsRefusedNamingTheFile() throws Exception {
        Path f = Files.writeString(
                tmp.resolve("trace.json"), old("trace.json").replace("unmask.trace/1", "unmask.trace/9"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResultCodec.readTrace(f));
        assertTrue(e.getMessage().startsWith(f + ": not an unmask.trace/2 (or unmask.trace/1) file"), e.getMessage());
    }

    private static Run run(String label, double amp, Point... points) {
        Coefficient none = new Coefficient(Double.NaN, Double.NaN, Double.NaN, points.length);
        return new Run(
                label,
                label + "/result.json",
                "generation",
                "gen",
                "default",
                "100 * F / (F + M)",
                new Coefficient(amp, amp - 1, amp + 1, points.length),
                "BCa",
                none,
                Double.NaN,
                List.of(points),
                List.of());
    }

    private static TraceResult twoRuns() {
        Coefficient none = new Coefficient(Double.NaN, Double.NaN, Double.NaN, 0);
        return new TraceResult(
                TraceResult.SCHEMA,
                "s",
                "base/result.json",
                0,
                "100 * F / (F + M)",
                TraceResult.DATA_PCT_FEMALE,
                none,
                none,
                none,
                none,
                5,
                0,
                Double.NaN,
                List.of(new Occupation("nurse", 75, 4, 80, Double.NaN, 89.58)),
                List.of(),
                List.of(
                        run("base · default", 5, new Point("nurse", 75, 4, 80, 40, 96, 5, 89.58)),
                        run("instruct · default", -25, new Point("nurse", 75, 4, 50, 15, 85, 4, 89.58))));
    }

    @Test
    void severalRunsAreDrawnTogetherOneColourEachAndListedInTheCsvAndSummary() throws Exception {
        TraceResult r = twoRuns();
        String html = TraceReport.html(r);
        assertTrue(html.contains("data-run='base · default'") && html.contains("data-run='instruct · default'"), html);
        assertTrue(
                html.contains("fill='" + TraceReport.COLOURS[0] + "'")
                        && html.contains("fill='" + TraceReport.COLOURS[1] + "'"),
                "one colour per run");
        assertTrue(html.contains("<td>-25.0</td><td>[-26.0, -24.0]</td>"), html);
        String csv = TraceReport.csv(r);
        assertEquals(3, csv.lines().count(), csv);
        assertTrue(
                csv.contains("instruct · default,instruct · default/result.json,generation,default,nurse,"
                        + "75.0000,4,50.0000,15.0000,85.0000,4,89.58,-25.0000"),
                csv);
        assertTrue(TraceReport.summary(r).contains("instruct · default"), TraceReport.summary(r));
        TraceReport.write(r, tmp.resolve("out"));
        assertEquals(r, ResultCodec.readTrace(tmp.resolve("out")));
        assertTrue(Files.readString(tmp.resolve("out/trace.json")).contains("\"schema\" : \"unmask.trace/2\""));
    }
}
