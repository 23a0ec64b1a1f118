package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;
import org.unmask.corpus.output.StatsReport;

class ResumeTest {
    @TempDir
    Path tmp;

    private final CountingSpec spec = CountingSpec.defaults(WordListLoader.builtIn());

    private CorpusRun run(Path corpus, Path out, int threads, int stopAfter) throws Exception {
        return new LocalEngine(spec, new LocalOptions(threads, null, stopAfter)).run(CorpusFiles.list(corpus), out);
    }

    @Test
    void resumedRunCountsEveryShardExactlyOnce() throws Exception {
        Path corpus = tmp.resolve("corpus");
        Fixtures.mixedTree(corpus);
        CorpusRun clean = run(corpus, tmp.resolve("clean"), 2, 0);
        assertEquals(CorpusRun.Status.COMPLETE, clean.status());
        assertEquals(6, clean.shards().size());
        assertEquals(181, clean.totals().total(Total.DOCUMENTS));

        Path out = tmp.resolve("resumed");
        CorpusRun first = run(corpus, out, 1, 2); // "killed" after two shards
        assertEquals(CorpusRun.Status.INTERRUPTED, first.status());
        assertEquals(4, first.missingShards());
        // debris of a crash during a checkpoint write: a temp file and a torn checkpoint
        Files.writeString(out.resolve("shards/.abc.json.1234.tmp"), "{\"schema\":");
        Path[] saved;
        try (Stream<Path> s = Files.list(out.resolve("shards"))) {
            saved = s.filter(p -> p.toString().endsWith(".json")).toArray(Path[]::new);
        }
        assertEquals(2, saved.length);
        Files.writeString(saved[0], "{\"schema\":\"unmask.corpus-shard/1\",\"key\":{");

        CorpusRun second = run(corpus, out, 2, 0);
        assertEquals(1, second.reusedShards()); // the torn one is recounted
        assertEquals(CorpusRun.Status.COMPLETE, second.status());
        assertEquals(clean.totals(), second.totals());

        CorpusRun third = run(corpus, out, 2, 0);
        assertEquals(6, third.reusedShards());
        assertEquals(clean.totals(), third.totals());
    }

    @Test
    void recountsAChangedShardAndReusesTheRest() throws Exception {
        Path corpus = tmp.resolve("corpus");
        Fixtures.mixedTree(corpus);
        Path out = tmp.resolve("out");
        CorpusRun a = run(corpus, out, 2, 0);
        Path f = corpus.resolve(Fixtures.MIXED.get(2));
        Files.setLastModifiedTime(
                f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
        CorpusRun b = run(corpus, out, 2, 0);
        assertEquals(5, b.reusedShards());
        assertEquals(a.totals(), b.totals());
    }

    @Test
    void writesSchemaVersionedJsonWithProvenanceAndCsv() throws Exception {
        Path corpus = tmp.resolve("corpus");
        Fixtures.mixedTree(corpus);
        Path out = tmp.resolve("out");
        CorpusRun r = run(corpus, out, 2, 0);
        new StatsReport(r).write(out);
        JsonNode j =
                new ObjectMapper().readTree(out.resolve(StatsReport.JSON_FILE).toFile());
        assertEquals(StatsReport.SCHEMA, j.path("schema").asText());
        assertEquals("complete", j.path("status").asText());
        assertEquals(6, j.path("provenance").path("files").size());
        assertEquals(
                "README.md", j.path("provenance").path("ignoredFiles").get(0).asText());
        assertEquals(
                spec.words().sha256(),
                j.path("spec").path("wordLists").path("sha256").asText());
        assertEquals(64, spec.words().sha256().length());
        assertEquals(
                r.totals().total(Total.TOKENS), j.path("totals").path("TOKENS").asLong());
        JsonNode nurse = null;
        for (JsonNode o : j.path("occupations")) {
            if (o.path("occupation").asText().equals("nurse")) {
                nurse = o;
            }
        }
        assertTrue(nurse != null && nurse.path("forms").toString().contains("nurses"));
        long m = nurse.path("counts").path("SENT_MALE_ONLY").asLong();
        long fem = nurse.path("counts").path("SENT_FEMALE_ONLY").asLong();
        assertEquals(
                100.0 * fem / (m + fem),
                nurse.path("sentence").path("pctFemale").asDouble(),
                1e-9);
        assertEquals(
                Math.abs(fem / (double) (m + fem) - 0.8958),
                nurse.path("sentence").path("tvdReference").asDouble(),
                1e-9);
        String prefix = "nurse,89.5800," + nurse.path("counts").path("MENTIONS").asLong() + "," + m + "," + fem + ",";
        String csv = Files.readString(out.resolve(StatsReport.CSV_FILE));
        assertEquals(spec.words().occupations().size() + 1, csv.split("\n").length);
        assertTrue(csv.lines().anyMatch(l -> l.startsWith(prefix)), csv);
    }
}
