package org.unmask.corpus.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.TargetLean;
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

class FixtureDumpTest {
    private static TargetLean lean(String target, double lean, double stat) {
        return new TargetLean(target, Estimate.undefinedInterval(lean, 3), stat, Double.NaN, Double.NaN, Double.NaN);
    }

    @Test
    void dump() throws Exception {
        Path tmp = Files.createTempDirectory("fx");
        Path out = tmp.resolve("stats");
        CorpusRun run = new LocalEngine(CountingSpec.defaults(WordListLoader.builtIn()), new LocalOptions(2, null, 0))
                .run(CorpusFiles.list(TestCorpora.dir("gutenberg-mini")), out);
        new StatsReport(run).write(out);
        Path audit = Results.write(tmp.resolve("audit"), Results.audit("m", "s", List.of(new LeanResult(
                "pronoun-lean", "pronoun-lean", "f", 0, "she", "he", "they", "occupations", "pct_female", Double.NaN,
                List.of(lean("nurse", 2.0, 89.58), lean("doctor", -1.0, 37.9), lean("officer", Double.NaN, 30.42),
                        lean("teacher", 0.5, 73.0), lean("secretary", 1.5, Double.NaN)),
                List.of(), List.of(), List.of()))));
        Trace.Result r = Trace.link(out, audit, 10);
        TraceReport.write(r, tmp.resolve("trace"));
        Files.copy(out.resolve("corpus-stats.json"), Path.of("/tmp/ac2/corpus-stats.json"));
        for (String f : new String[] {"trace.json", "trace.csv", "trace.html"}) {
            Files.copy(tmp.resolve("trace").resolve(f), Path.of("/tmp/ac2/" + f));
        }
        Trace.Result empty = Trace.compute(List.of(), List.of(), 10, "s.json", "a.json");
        TraceReport.write(empty, tmp.resolve("empty"));
        Files.copy(tmp.resolve("empty/trace.json"), Path.of("/tmp/ac2/trace-empty.json"));
        Files.copy(tmp.resolve("empty/trace.html"), Path.of("/tmp/ac2/trace-empty.html"));
    }
}
