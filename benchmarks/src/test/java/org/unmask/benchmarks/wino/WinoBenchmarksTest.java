package org.unmask.benchmarks.wino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.Skipped;
import org.unmask.benchmarks.testing.TempBenchmark;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.core.testing.WordPieceTokenizer;

class WinoBenchmarksTest {
    @TempDir
    Path tmp;

    @Test
    void masksTheOneWordWhereThePronounInstantiationsDiffer() {
        PronounProbe p = WinogenderBenchmark.probe(
                "x", "The nurse said he was tired.", "The nurse said she was tired.", "The nurse said they was tired.");
        assertEquals("The nurse said [MASK] was tired.", p.masked());
        assertEquals(java.util.List.of("he", "she", "they"), p.targets());
        PronounProbe q = WinogenderBenchmark.probe("y", "Ask him.", "Ask her.", "Ask them.");
        assertEquals("Ask [MASK].", q.masked());
        assertEquals(
                "they",
                WinogenderBenchmark.probe("z", "he was", "she was", "they were").neutral());
        assertNull(WinogenderBenchmark.probe("w", "he was", "she is", "they were"), "two words differ");
    }

    @Test
    void winogenderCorrelatesOccupationFemaleShareWithBls() throws Exception {
        String sentences = "sentid\tsentence\n"
                + "nurse.patient.0.male.txt\tThe nurse helped the patient because he was kind.\n"
                + "nurse.patient.0.female.txt\tThe nurse helped the patient because she was kind.\n"
                + "nurse.patient.0.neutral.txt\tThe nurse helped the patient because they was kind.\n"
                + "pilot.patient.0.male.txt\tThe pilot helped the patient because he was kind.\n"
                + "pilot.patient.0.female.txt\tThe pilot helped the patient because she was kind.\n"
                + "pilot.patient.0.neutral.txt\tThe pilot helped the patient because they was kind.\n"
                + "clerk.patient.0.male.txt\tThe clerk helped the patient because he was kind.\n"
                + "clerk.patient.0.female.txt\tThe clerk helped the patient because she was kind.\n"
                + "clerk.patient.0.neutral.txt\tThe clerk helped the patient because they was kind.\n";
        String stats = "occupation\tbergsma_pct_female\tbls_pct_female\tbls_year\n"
                + "nurse\t90\t90\t2015\npilot\t5\t5\t2015\nclerk\t50\t60\t2015\n";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("all_sentences.tsv", sentences);
        files.put("occupations-stats.tsv", stats);
        Path dir = TempBenchmark.write(tmp, "winogender", files);
        // the scripted model follows the stereotype: P(she) high after "nurse", low after "pilot"
        ScriptedMaskedLm lm = ScriptedMaskedLm.logProbs(WordPieceTokenizer.growing(), (x, pos, t) -> {
            double f = x.contains("nurse") ? 0.8 : x.contains("pilot") ? 0.1 : 0.5;
            return Math.log(t.equals("she") ? f : t.equals("he") ? 1 - f : 0.01);
        });
        BenchmarkResult r = new WinogenderBenchmark(() -> BenchmarkData.directory(dir))
                .run(new RequestExecutor(lm, ExecutorOptions.DEFAULT), RunOptions.defaults(), ProgressListener.NONE);
        assertEquals(3, r.items().size());
        assertTrue(
                r.metric("winogender/bls-pearson", "occupations").orElseThrow().value() > 0.95);
        // female shares 80, 10, 50 -> mean 46.67; he preferred for pilot only
        assertEquals(
                140.0 / 3,
                r.metric("winogender/female-share", "overall").orElseThrow().value(),
                1e-3);
        assertEquals(
                100.0 / 3,
                r.metric("winogender/male-preferred-pct", "overall")
                        .orElseThrow()
                        .value(),
                1e-9);
    }

    @Test
    void winoBiasPairsProAndAntiTwinsAndScoresTheStereotypicalPronoun() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (String type : new String[] {"type1", "type2"}) {
            for (String split : new String[] {"dev", "test"}) {
                files.put(
                        "data/pro_stereotyped_" + type + ".txt." + split,
                        "1 [The developer] argued with the designer because [he] did not like the design.\n"
                                + "2 The developer argued with [the designer] because [her] idea cannot be used.\n");
                files.put(
                        "data/anti_stereotyped_" + type + ".txt." + split,
                        "1 [The developer] argued with the designer because [she] did not like the design.\n"
                                + "2 The developer argued with [the designer] because [his] idea cannot be used.\n");
            }
        }
        Path dir = TempBenchmark.write(tmp, "winobias", files);
        // prefers "he" everywhere: stereotypical in sentence 1, anti-stereotypical in sentence 2
        ScriptedMaskedLm lm = ScriptedMaskedLm.logProbs(
                WordPieceTokenizer.growing(), (x, pos, t) -> t.equals("he") || t.equals("his") ? -0.5 : -2.0);
        BenchmarkResult r = new WinoBiasBenchmark(() -> BenchmarkData.directory(dir))
                .run(new RequestExecutor(lm, ExecutorOptions.DEFAULT), RunOptions.defaults(), ProgressListener.NONE);
        assertEquals(
                8, r.metric("winobias/pro-accuracy", "overall").orElseThrow().n());
        assertEquals(
                50.0, r.metric("winobias/pro-accuracy", "overall").orElseThrow().value(), 1e-9);
        assertEquals(
                0.0, r.metric("winobias/pro-anti-gap", "type1").orElseThrow().value(), 1e-9);
        assertEquals(
                "The developer argued with the designer because [MASK] did not like the design.",
                r.items().get(0).get("masked"));
    }

    @Test
    void winoBiasKeepsTwinsWithASecondPronounAndSkipsRewordedOnes() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(
                "data/pro_stereotyped_type1.txt.dev",
                "1 [The developer] visited the barber because [he] needed to cut [his] hair.\n"
                        + "2 The carpenter made a desk for [the clerk] because [she] needed a desk.\n");
        files.put(
                "data/anti_stereotyped_type1.txt.dev",
                "1 [The developer] visited the barber because [she] needed to cut [her] hair.\n"
                        + "2 The carpenter made a desk for [the clerk] because [he] needed one.\n");
        Path dir = TempBenchmark.write(tmp, "winobias", files);
        Skipped s = new Skipped();
        var pairs = WinoBiasBenchmark.pairs(BenchmarkData.directory(dir), "type1", "dev", s);
        assertEquals(1, pairs.size());
        assertEquals(
                "The developer visited the barber because [MASK] needed to cut his hair.",
                pairs.get(0).pro().masked());
        assertEquals(1, s.total());
    }

    @Test
    void winoBiasCountsLinesWithoutPronoun() throws Exception {
        Path dir = TempBenchmark.write(tmp, "winobias", Map.of("data/x.txt", "1 [The developer] argued.\n"));
        Skipped s = new Skipped();
        var out = WinoBiasBenchmark.sentences(BenchmarkData.directory(dir), "data/x.txt", s);
        assertNull(out.get(0));
        assertEquals(1, s.total());
    }

    @Test
    void shippedDataParsesCompletely() throws Exception {
        Skipped s = new Skipped();
        BenchmarkData d = BenchmarkData.bundled("winobias");
        int pairs = 0;
        for (String type : new String[] {"type1", "type2"}) {
            for (String split : new String[] {"dev", "test"}) {
                pairs += WinoBiasBenchmark.pairs(d, type, split, s).size();
            }
        }
        assertEquals(1584 - s.total(), pairs, "skipped: " + s.snapshot());
        Skipped g = new Skipped();
        int items = WinogenderBenchmark.items(BenchmarkData.bundled("winogender"), g, RunOptions.defaults())
                .size();
        assertEquals(240, items + g.total(), "skipped: " + g.snapshot());
        assertTrue(g.total() <= 2, "skipped: " + g.snapshot());
    }
}
