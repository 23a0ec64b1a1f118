package org.unmask.corpus.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.CorpusStats;
import org.unmask.core.result.ResultCodec;
import org.unmask.corpus.TestCorpora;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;

/** corpus-stats.json goes through the result codec: the same JSON as before, and the codec reads it back. */
class StatsReportJsonTest {
    @TempDir
    Path tmp;

    @Test
    void theFileIsTheEarlierWritersTextPlusAFinalNewlineAndReadsBack() throws Exception {
        Path out = tmp.resolve("stats");
        CorpusRun run = new LocalEngine(CountingSpec.defaults(WordListLoader.builtIn()), new LocalOptions(2, null, 0))
                .run(CorpusFiles.list(TestCorpora.dir("gutenberg-mini")), out);
        StatsReport report = new StatsReport(run);
        report.write(out);
        String written = Files.readString(out.resolve(StatsReport.JSON_FILE));
        // the writer before the codec: a plain indenting mapper, no final newline ("created" differs per call)
        String before =
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.json());
        String created = "\"created\" : \"[^\"]+\"";
        assertEquals(before.replaceFirst(created, "") + "\n", written.replaceFirst(created, ""));
        CorpusStats stats = ResultCodec.readCorpusStats(out);
        assertEquals(
                run.spec().words().occupations().size(), stats.occupations().size());
        assertEquals(
                "nurse",
                stats.occupations().stream()
                        .filter(o -> o.occupation().equals("nurse"))
                        .findFirst()
                        .orElseThrow()
                        .occupation());
    }

    @Test
    void aFileOfAnotherSchemaIsRefusedNamingTheFile() throws Exception {
        Path f = Files.writeString(tmp.resolve("corpus-stats.json"), "{\"schema\" : \"unmask.trace/1\"}");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResultCodec.readCorpusStats(f));
        assertTrue(e.getMessage().startsWith(f + ": not an unmask.corpus-stats/1 file"), e.getMessage());
    }
}
