package org.unmask.corpus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.Decoding;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.GenerationResult.Counts;
import org.unmask.core.result.GenerationResult.TargetShare;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.TargetLean;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TraceResult;
import org.unmask.core.result.TraceResult.Occupation;
import org.unmask.core.result.TraceResult.Point;
import org.unmask.core.result.TraceResult.Run;
import org.unmask.core.stats.Estimate;
import org.unmask.core.testing.Results;
import org.unmask.corpus.TestCorpora;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;
import org.unmask.corpus.output.StatsReport;

class TraceTest {
    @TempDir
    Path tmp;

    @Test
    void slopeAndAmplificationFollowTheirFormulas() {
        List<Occupation> rows = List.of(
                new Occupation("a", 20, 50, 10, 0, 30),
                new Occupation("b", 50, 50, 50, 0, 40),
                new Occupation("c", 80, 50, 90, 0, Double.NaN),
                new Occupation("d", 60, 50, 70, 0, 80));
        TraceResult r = Trace.compute(rows, List.of(), 10, "s", "a");
        // by hand: mean x 52.5, mean y 55; sxy = 1462.5 + 12.5 + 962.5 + 112.5 = 2550; sxx = 1875
        assertEquals(2550.0 / 1875.0, r.slopeModelOnData(), 1e-12);
        assertEquals((-10 + 0 + 10 + 10) / 4.0, r.meanAmplificationPoints(), 1e-12);
        assertEquals(((40 - 30) + 0 + (40 - 30) + (20 - 10)) / 4.0, r.skewAmplificationPoints(), 1e-12);
        assertEquals(3, r.pearsonDataBls().n()); // the row without BLS is left out there only
        assertTrue(r.pearsonDataModel().value() > 0.99);
    }

    private static TargetLean lean(String target, double lean, double stat) {
        return new TargetLean(target, Estimate.undefinedInterval(lean, 3), stat, Double.NaN, Double.NaN, Double.NaN);
    }

    private static LeanResult pronounLean(TargetLean... targets) {
        return new LeanResult(
                "pronoun-lean",
                "pronoun-lean",
                "log P(she) - log P(he)",
                0,
                "she",
                "he",
                "they",
                "occupations",
                "pct_female",
                Double.NaN,
                List.of(targets),
                List.of(),
                List.of(),
                List.of());
    }

    private Path corpusStats() throws Exception {
        Path out = tmp.resolve("stats");
        CorpusRun run = new LocalEngine(CountingSpec.defaults(WordListLoader.builtIn()), new LocalOptions(2, null, 0))
                .run(CorpusFiles.list(TestCorpora.dir("gutenberg-mini")), out);
        new StatsReport(run).write(out);
        return out;
    }

    @Test
    void aMalformedAuditResultIsAnErrorNamingTheFileAndTheField() throws Exception {
        Path out = corpusStats();
        Path audit = Results.write(
                tmp.resolve("audit"), Results.audit("m", "s", List.of(pronounLean(lean("nurse", 2.0, 89.58)))));
        Path file = audit.resolve("result.json");
        Files.writeString(file, Files.readString(file).replaceFirst("\"value\" : 2.0", "\"value\" : \"high\""));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Trace.link(out, audit, 10));
        assertEquals(file + ": field measures[0].targets[0].lean.value: expected a number", e.getMessage());
    }

    @Test
    void linksCorpusStatsToAnAuditResultAsARecordThatReadsBack() throws Exception {
        Path out = corpusStats();
        // a real audit result (written by the result codec) whose pronoun-lean leans are chosen by hand
        Path audit = Results.write(
                tmp.resolve("audit"),
                Results.audit(
                        "m",
                        "s",
                        List.of(pronounLean(
                                lean("nurse", 2.0, 89.58),
                                lean("doctor", -1.0, 37.9),
                                lean("officer", Double.NaN, 30.42)))));
        TraceResult r = Trace.link(out, audit, 10);
        assertEquals(2, r.occupations().size());
        Occupation nurse = r.occupations().stream()
                .filter(x -> x.occupation().equals("nurse"))
                .findFirst()
                .orElseThrow();
        assertEquals(100 / (1 + Math.exp(-2.0)), nurse.modelPctFemale(), 1e-12);
        assertEquals(100.0 * 21 / 36, nurse.dataPctFemale(), 1e-9); // 15 male-only, 21 female-only sentences
        assertTrue(r.excluded().stream().anyMatch(x -> x.startsWith("officer (model share undefined)")));
        assertEquals("pronoun-lean", r.runs().get(0).measure(), "auto picks the only usable measure");
        // the result is a record of the contract: it reads back from the codec's text unchanged
        Path json = Files.writeString(tmp.resolve("trace.json"), ResultCodec.render(r));
        assertEquals(r, ResultCodec.readTrace(json));
        assertThrows(InvalidInputException.class, () -> Trace.link(out, out, 10)); // no result.json there
    }

    /** A tiny corpus with known counts: nurse 3 female-only of 4 gendered sentences, engineer 1 of 4. */
    private Path tinyCorpusStats() throws Exception {
        Path corpus = Files.createDirectories(tmp.resolve("tiny-corpus"));
        Files.writeString(
                corpus.resolve("part-0.txt"),
                String.join(
                        "\n",
                        "The nurse said she was tired.",
                        "The nurse knew she would stay.",
                        "The nurse thought she could go.",
                        "The nurse said he was tired.",
                        "The engineer said he was ready.",
                        "The engineer knew he would fly.",
                        "The engineer thought he could land.",
                        "The engineer said she was ready.",
                        ""));
        Path out = tmp.resolve("tiny-stats");
        CorpusRun run = new LocalEngine(CountingSpec.defaults(WordListLoader.builtIn()), new LocalOptions(1, null, 0))
                .run(CorpusFiles.list(corpus), out);
        new StatsReport(run).write(out);
        return out;
    }

    private static GenerationResult.Setting setting(String name, Map<String, int[]> femaleMale) {
        List<TargetShare> targets = femaleMale.entrySet().stream()
                .map(e -> {
                    Counts c = new Counts(e.getValue()[0], e.getValue()[1], 0, 0);
                    return new TargetShare(e.getKey(), Double.NaN, c, c.femaleShare());
                })
                .toList();
        return new GenerationResult.Setting(new Decoding(name, 1, 0, 1), Counts.ZERO, List.of(), targets);
    }

    private static GenerationResult generation(GenerationResult.Setting... settings) {
        return new GenerationResult(
                "gen",
                "generation",
                "F/(F+M)",
                "female",
                "male",
                "occupations",
                null,
                4,
                8,
                List.of(settings),
                List.of());
    }

    private Path audit(String name, List<org.unmask.core.result.MeasureResult> measures) throws Exception {
        return Results.write(tmp.resolve(name), Results.audit(name, "s", measures));
    }

    @Test
    void twoGenerationAuditsGiveOneAmplificationPerAuditAndSettingAsComputedByHand() throws Exception {
        Path stats = tinyCorpusStats();
        // nurse: 4 female of 5 gendered continuations (80 %), engineer 1 of 4 (25 %); greedy: 1 of 1 and 0 of 1
        Path base = audit(
                "base",
                List.of(generation(
                        setting(
                                "default",
                                new java.util.LinkedHashMap<>(
                                        Map.of("nurse", new int[] {4, 1}, "engineer", new int[] {1, 3}))),
                        setting("greedy", Map.of("nurse", new int[] {1, 0}, "engineer", new int[] {0, 1})))));
        Path instruct = audit(
                "instruct",
                List.of(generation(
                        setting("default", Map.of("nurse", new int[] {2, 2}, "engineer", new int[] {0, 0})))));
        TraceResult r = Trace.link(stats, List.of(base, instruct), 0, Trace.AUTO, 200);

        assertEquals(
                List.of("base · default", "base · greedy", "instruct · default"),
                r.runs().stream().map(Run::label).toList());
        Run first = r.runs().get(0);
        assertEquals("generation", first.measure());
        assertEquals("default", first.setting());
        Point nurse = point(first, "nurse");
        assertEquals(75.0, nurse.dataPctFemale(), 1e-9); // 3 female-only of 4 gendered sentences
        assertEquals(4, nurse.dataN());
        assertEquals(80.0, nurse.modelPctFemale(), 1e-9);
        assertEquals(5, nurse.modelN());
        assertTrue(nurse.modelCiLow() < 80 && nurse.modelCiHigh() > 80, "a Wilson interval around 4/5");
        // by hand: (80 − 75 + 25 − 25) / 2 = 2.5 points; greedy (100 − 75 + 0 − 25) / 2 = 0
        assertEquals(2.5, first.amplification().value(), 1e-9);
        assertEquals(2, first.amplification().n());
        assertEquals(0.0, r.runs().get(1).amplification().value(), 1e-9);
        Run instructRun = r.runs().get(2);
        assertEquals(1, instructRun.points().size(), "engineer has no gendered continuation there");
        assertEquals(50.0 - 75.0, instructRun.amplification().value(), 1e-9);
        assertTrue(Double.isNaN(instructRun.amplification().ciLow()), "no interval from one occupation");
        assertTrue(
                instructRun.excluded().contains("engineer (model share undefined)"),
                instructRun.excluded().toString());
        // the top level is the first run, as schema 1 wrote it
        assertEquals(2.5, r.meanAmplificationPoints(), 1e-9);
        assertTrue(Double.isNaN(r.occupations().get(0).modelLean()), "a counted share has no lean");
        assertEquals(TraceResult.SCHEMA, r.schema());
        Path json = Files.writeString(tmp.resolve("trace.json"), ResultCodec.render(r));
        assertEquals(r, ResultCodec.readTrace(json));
    }

    @Test
    void theAmplificationIntervalIsSeededAndHoldsTheMean() throws Exception {
        double[] x = {5, -3, 12, 0, 7, 2};
        var a = Trace.amplificationInterval(x, 500);
        assertEquals(a, Trace.amplificationInterval(x, 500));
        assertTrue(a.lower() < 23.0 / 6 && 23.0 / 6 < a.upper(), a.toString());
    }

    private static Point point(Run run, String occupation) {
        return run.points().stream()
                .filter(p -> p.occupation().equals(occupation))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anAuditWithoutAUsableMeasureIsOneLineNamingTheFileAndWhatItHas() throws Exception {
        Path stats = tinyCorpusStats();
        Path empty = audit("empty", List.of());
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> Trace.link(stats, List.of(empty), 0, Trace.AUTO, 200));
        assertEquals(
                empty.resolve("result.json") + " has no generation, zero-shot, pronoun-lean,"
                        + " cooccurrence-log-ratio measure to trace (it has: none)",
                e.getMessage());
        Path gen = audit("gen", List.of(generation(setting("default", Map.of("nurse", new int[] {1, 1})))));
        e = assertThrows(InvalidInputException.class, () -> Trace.link(stats, List.of(gen), 0, "zero-shot", 200));
        assertEquals(
                gen.resolve("result.json") + " has no zero-shot measure to trace (it has: generation)", e.getMessage());
        assertTrue(e.hint().contains("--measure"), e.hint());
    }

    @Test
    void anExplicitMeasureIsTracedEvenWhenAutoWouldPreferAnother() throws Exception {
        Path stats = tinyCorpusStats();
        Path both = audit(
                "both",
                List.of(
                        generation(setting("default", Map.of("nurse", new int[] {1, 1}))),
                        pronounLean(lean("nurse", 0.0, Double.NaN))));
        assertEquals(
                "generation",
                Trace.link(stats, List.of(both), 0, Trace.AUTO, 200)
                        .runs()
                        .get(0)
                        .measure());
        TraceResult lean = Trace.link(stats, List.of(both), 0, "pronoun-lean", 200);
        assertEquals("pronoun-lean", lean.runs().get(0).measure());
        assertEquals(50.0, lean.runs().get(0).points().get(0).modelPctFemale(), 1e-12);
    }

    @Test
    void aZeroShotShareCountsEachQuestionByItsMostLikelyAnswer() throws Exception {
        Path stats = tinyCorpusStats();
        // three questions about the nurse: two answered "woman" (side a), one "man"
        List<LeanItem> items = List.of(
                item("q1", "a", -1.0),
                item("q1", "b", -2.0),
                item("q2", "a", -0.5),
                item("q2", "b", -3.0),
                item("q3", "a", -4.0),
                item("q3", "b", -1.0));
        LeanResult zs = new LeanResult(
                "zs",
                "zero-shot",
                "f",
                0,
                "female",
                "male",
                null,
                "occupations",
                "pct_female",
                Double.NaN,
                List.of(lean("nurse", 0.3, Double.NaN)),
                List.of(),
                List.of(),
                items);
        TraceResult r = Trace.link(stats, List.of(audit("zs", List.of(zs))), 0, Trace.AUTO, 200);
        Point nurse = r.runs().get(0).points().get(0);
        assertEquals(100.0 * 2 / 3, nurse.modelPctFemale(), 1e-9);
        assertEquals(3, nurse.modelN());
        assertEquals(100.0 * 2 / 3 - 75, r.runs().get(0).amplification().value(), 1e-9);
    }

    private static LeanItem item(String template, String side, double logProb) {
        return new LeanItem(
                "zs",
                template,
                0,
                "",
                side,
                side.equals("a") ? "female" : "male",
                side.equals("a") ? "woman" : "man",
                "nurse",
                "Who is a nurse?",
                logProb,
                Double.NaN,
                logProb);
    }
}
