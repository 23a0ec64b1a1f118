package org.unmask.corpus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.TargetLean;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TraceResult;
import org.unmask.core.result.TraceResult.Occupation;
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
        List<Occupation> rows = List.of(new Occupation("a", 20, 50, 10, 0, 30),
                new Occupation("b", 50, 50, 50, 0, 40), new Occupation("c", 80, 50, 90, 0, Double.NaN),
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
        return new LeanResult("pronoun-lean", "pronoun-lean", "log P(she) - log P(he)", 0, "she", "he", "they",
                "occupations", "pct_female", Double.NaN, List.of(targets), List.of(), List.of(), List.of());
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
        Path audit = Results.write(tmp.resolve("audit"), Results.audit("m", "s", List.of(pronounLean(
                lean("nurse", 2.0, 89.58)))));
        Path file = audit.resolve("result.json");
        Files.writeString(file, Files.readString(file).replaceFirst("\"value\" : 2.0", "\"value\" : \"high\""));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Trace.link(out, audit, 10));
        assertEquals(file + ": field measures[0].targets[0].lean.value: expected a number", e.getMessage());
    }

    @Test
    void linksCorpusStatsToAnAuditResultAsARecordThatReadsBack() throws Exception {
        Path out = corpusStats();
        // a real audit result (written by the result codec) whose pronoun-lean leans are chosen by hand
        Path audit = Results.write(tmp.resolve("audit"), Results.audit("m", "s", List.of(pronounLean(
                lean("nurse", 2.0, 89.58), lean("doctor", -1.0, 37.9), lean("officer", Double.NaN, 30.42)))));
        TraceResult r = Trace.link(out, audit, 10);
        assertEquals(2, r.occupations().size());
        Occupation nurse = r.occupations().stream().filter(x -> x.occupation().equals("nurse")).findFirst()
                .orElseThrow();
        assertEquals(100 / (1 + Math.exp(-2.0)), nurse.modelPctFemale(), 1e-12);
        assertEquals(100.0 * 21 / 36, nurse.dataPctFemale(), 1e-9); // 15 male-only, 21 female-only sentences
        assertTrue(r.excluded().stream().anyMatch(x -> x.startsWith("officer (model lean undefined)")));
        // the result is a record of the contract: it reads back from the codec's text unchanged
        Path json = Files.writeString(tmp.resolve("trace.json"), ResultCodec.render(r));
        assertEquals(r, ResultCodec.readTrace(json));
        assertThrows(InvalidInputException.class, () -> Trace.link(out, out, 10)); // no result.json there
    }
}
